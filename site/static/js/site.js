/* La Coursive Boutaric — the only script of the public site, and an optional one.
 * On a phone, it folds the menu behind a "Menu" button (disclosure pattern: the button's
 * aria-expanded says whether the list is shown). Without it, the menu is a plain list. */
(function () {
  "use strict";
  var header = document.querySelector("[data-menu]");
  if (!header) return;
  var button = header.querySelector(".menu-toggle");
  var menu = document.getElementById(button ? button.getAttribute("aria-controls") : "");
  if (!button || !menu) return;

  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    header.classList.toggle("is-menu-open", open);
  }

  header.classList.add("has-menu-toggle");
  button.hidden = false;
  setOpen(false);
  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  // Escape closes the menu and gives the focus back to its button.
  header.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && header.classList.contains("is-menu-open")) {
      setOpen(false);
      button.focus();
    }
  });
})();
