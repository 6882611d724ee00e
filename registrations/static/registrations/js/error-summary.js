// Move focus to the error summary of a form that came back with errors,
// so that keyboard and screen-reader users hear what to fix first.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
});
