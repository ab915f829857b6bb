"""What runs inside Sphinx (jupyter-book): the extension and the pages' post-processing."""
