// The error page's "Go back" link: the previous page when there is one, else the start
// (its href). A file of its own, as the Content-Security-Policy allows no inline script.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("[data-history-back]");
  if (link && window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
});
