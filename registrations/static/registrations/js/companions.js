// Group bookings: show only the name rows the chosen number of seats needs.
// Without JavaScript every row stays visible and the server checks the names.
(function () {
  "use strict";
  document.querySelectorAll("[data-companions]").forEach(function (block) {
    var select = document.getElementById(block.getAttribute("data-seats-field"));
    if (!select) { return; }
    var rows = block.querySelectorAll("[data-companion]");
    function hasText(row) {
      return Array.prototype.some.call(row.querySelectorAll("input"), function (input) { return input.value.trim() !== ""; });
    }
    function update() {
      var extra = parseInt(select.value, 10) - 1;
      block.hidden = extra < 1 && !Array.prototype.some.call(rows, hasText);
      rows.forEach(function (row) {
        var number = parseInt(row.getAttribute("data-companion"), 10);
        // A row the person already filled stays visible, so the server's error can be read and fixed.
        row.hidden = number - 1 > extra && !hasText(row);
      });
    }
    select.addEventListener("change", update);
    update();
  });
})();
