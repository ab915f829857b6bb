"""For trainers: their notes and solutions, the handouts and answer key, the slide decks."""
