// The plan page on a phone opens at today's card (the calendar's header, limits and
// changes come first in the page). Only without a #fragment: a link to one wins.
(function () {
  if (location.hash || !window.matchMedia("(max-width: 48rem)").matches) return;
  var card = document.getElementById("today");
  if (card) card.scrollIntoView({ block: "start" });
})();
