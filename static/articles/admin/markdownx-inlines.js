// django-markdownx starts its editors once, when the page loads (upstream issue #275). A row
// added with "Add another" is a copy of the empty form, already marked as started, so it gets
// no live preview. Unmark the copy and run markdownx's start-up again: it skips every editor
// that is already running.
"use strict";
document.addEventListener("formset:added", (event) => {
  const editors = event.target.querySelectorAll(".markdownx-editor");
  if (!editors.length) return;
  editors.forEach((editor) => editor.removeAttribute("data-markdownx-init"));
  event.target.querySelectorAll(".markdownx-preview").forEach((preview) => { preview.innerHTML = ""; });
  const loaded = document.querySelector('script[src*="markdownx/js/markdownx"]');
  if (!loaded) return;
  const again = document.createElement("script");
  again.src = loaded.src;
  document.body.appendChild(again);
});
