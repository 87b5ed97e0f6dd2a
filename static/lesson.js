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

// Ordering questions: with JavaScript, a step can also be dragged into its place (mouse, pen or
// touch), and each step's select then shows its new number, so the form sends what it always
// sends. The selects stay: they are the keyboard's way, and the only way without JavaScript.
document.querySelectorAll(".arrange-order").forEach(function (list) {
  if (list.querySelector("select:disabled")) return;
  var hint = list.parentNode.querySelector(".drag-hint");
  if (hint) hint.hidden = false;
  list.querySelectorAll(".arrange-item").forEach(function (item) {
    var handle = document.createElement("span");
    handle.className = "drag-handle";
    handle.setAttribute("aria-hidden", "true");
    handle.textContent = "⠿";
    item.insertBefore(handle, item.firstChild);
  });
  var dragged = null;
  list.addEventListener("pointerdown", function (event) {
    var handle = event.target.closest(".drag-handle");
    if (!handle) return;
    event.preventDefault();
    dragged = handle.parentNode;
    dragged.classList.add("dragging");
    handle.setPointerCapture(event.pointerId);
  });
  list.addEventListener("pointermove", function (event) {
    if (!dragged) return;
    var under = document.elementFromPoint(event.clientX, event.clientY);
    var target = under && under.closest(".arrange-item");
    if (!target || target === dragged || target.parentNode !== list) return;
    var box = target.getBoundingClientRect();
    list.insertBefore(dragged, event.clientY < box.top + box.height / 2 ? target : target.nextSibling);
  });
  function drop() {
    if (!dragged) return;
    dragged.classList.remove("dragging");
    dragged = null;
    list.querySelectorAll(".arrange-item select").forEach(function (select, index) {
      select.value = String(index + 1);
    });
  }
  list.addEventListener("pointerup", drop);
  list.addEventListener("pointercancel", drop);
});
