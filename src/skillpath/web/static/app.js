// Skillpath web: small behaviours that need script (CSP forbids inline scripts).
document.addEventListener("click", function (ev) {
  // "at this moment": copy the video's current time into the comment form
  var t = ev.target.closest("[data-stamp]");
  if (t) {
    var v = document.getElementById(t.getAttribute("data-stamp"));
    var f = document.getElementById(t.getAttribute("data-field"));
    if (v && f) { f.value = v.currentTime.toFixed(1); }
  }
  // a time-coded comment: jump the video to its moment
  var j = ev.target.closest("[data-seek]");
  if (j) {
    var vid = document.getElementById(j.getAttribute("data-video"));
    if (vid) { vid.currentTime = parseFloat(j.getAttribute("data-seek")); vid.play && vid.pause(); }
  }
});
