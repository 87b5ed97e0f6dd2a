// Progressive enhancement for lessons: a video link becomes a player only when clicked, so
// nothing loads from the video site until the learner asks. Without JavaScript it stays a link.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a.video-link[data-embed]");
  if (!link) return;
  var src = link.getAttribute("data-embed");
  if (!/^https:\/\/(www\.youtube-nocookie\.com\/embed\/|player\.vimeo\.com\/video\/)/.test(src)) return;
  event.preventDefault();
  var frame = document.createElement("iframe");
  frame.src = src + (src.indexOf("?") < 0 ? "?" : "&") + "autoplay=1";
  frame.title = link.textContent;
  frame.className = "video-frame";
  frame.allow = "autoplay; fullscreen; picture-in-picture";
  frame.setAttribute("allowfullscreen", "");
  link.parentNode.replaceChild(frame, link);
  frame.focus();
});
