/* The search page of a copy opened from files (file://), in both editions. Sphinx
   fetches each result's page to show an extract under it; browsers refuse fetch()
   of file:// addresses (CORS errors in the console). There the results are listed
   with their titles only; served over HTTP (make serve, any static server) they
   keep their extracts. Loaded after documentation_options.js, before searchtools.js
   reads the option. */
if (window.location.protocol === "file:" && typeof DOCUMENTATION_OPTIONS !== "undefined") {
  DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;
}
