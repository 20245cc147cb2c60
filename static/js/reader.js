/* The reference of a citation mark, shown next to the mark on an article page.

   A mark is a link to its entry in the reference list (<a role="doc-noteref" href="#ref-3">),
   and without this script it stays just that. With it, a click on a mark, or keyboard focus
   reaching one, opens a popover next to the mark with a copy of the entry's formatted
   reference (cloned from <li id="ref-3">, never fetched) and a link "Go to reference 3 in the
   list". Escape closes it and puts the focus back on the mark; so does a click or tap anywhere
   else, a second click on the mark, or the focus moving on. Nothing opens or closes on hover,
   so the pointer can travel from the mark into the popover.

   Why a disclosure (aria-expanded and aria-controls on the mark, the popover inserted right
   after the mark) rather than the other patterns:
   - role="tooltip" with aria-describedby may not contain links, and screen readers read a
     description once, flattened, on focus: the DOI and "Go to reference" links would be out of
     reach.
   - role="dialog" takes the focus and keeps it until closed; focus reaching a mark is what
     opens the popover, so a dialog would stop someone tabbing through the article at each mark.
   - A disclosure's content follows its trigger in reading order, so Tab, and a screen
     reader's reading cursor, go from the mark into the reference and on with the sentence,
     and the mark says whether it is expanded. axe checks both attributes.

   No inline script or handler and no style attribute in the HTML, for the CSP to come;
   positions are set through element.style, which a CSP allows. */
"use strict";

(function () {
    const MARKS = 'a[role="doc-noteref"][href^="#ref-"]';
    const marks = document.querySelectorAll(MARKS);
    if (!marks.length) {
        return;
    }

    const popover = document.createElement("span");
    popover.id = "reference-popover";
    popover.className = "reference-popover";
    popover.setAttribute("role", "group");
    popover.hidden = true;
    const text = document.createElement("span");
    text.className = "reference-popover-text";
    const goTo = document.createElement("a");
    goTo.className = "reference-popover-link";
    popover.append(text, goTo);
    document.querySelector("main").append(popover);

    let current = null; // the mark whose reference is shown
    let refocusing = false; // focus going back to a mark on Escape must not open it again

    function open(mark) {
        const number = mark.hash.slice("#ref-".length);
        const entry = document.getElementById(`ref-${number}`);
        const reference = entry && entry.querySelector(".reference-text");
        if (!reference) {
            return false; // nothing to show: the link goes to the list, as without this script
        }
        if (current) {
            current.setAttribute("aria-expanded", "false");
        }
        current = mark;
        text.replaceChildren(...Array.from(reference.childNodes, (node) => node.cloneNode(true)));
        goTo.href = `#ref-${number}`;
        goTo.textContent = `Go to reference ${number} in the list`;
        popover.setAttribute("aria-label", `Reference ${number}`);
        // Right after the mark, so that Tab and reading order go into it next (before the
        // next mark of "1,4").
        mark.after(popover);
        popover.hidden = false;
        mark.setAttribute("aria-expanded", "true");
        place();
        return true;
    }

    function close(returnFocus) {
        if (!current) {
            return;
        }
        const mark = current;
        current = null;
        popover.hidden = true;
        mark.setAttribute("aria-expanded", "false");
        if (returnFocus) {
            refocusing = true;
            mark.focus();
            refocusing = false;
        }
    }

    // Under the mark, within the viewport's width (a narrow phone's too).
    function place() {
        const gap = 8;
        const at = current.getBoundingClientRect();
        const origin = popover.offsetParent.getBoundingClientRect();
        const room = document.documentElement.clientWidth;
        const left = Math.max(gap, Math.min(at.left, room - popover.offsetWidth - gap));
        popover.style.left = `${left - origin.left}px`;
        popover.style.top = `${at.bottom + 4 - origin.top}px`;
    }

    marks.forEach((mark) => {
        mark.setAttribute("aria-expanded", "false");
        mark.setAttribute("aria-controls", popover.id);
        mark.addEventListener("focus", () => {
            // Keyboard focus opens it; a pointer's focus waits for the click.
            if (!refocusing && mark.matches(":focus-visible")) {
                open(mark);
            }
        });
        mark.addEventListener("click", (event) => {
            if (current === mark) {
                event.preventDefault();
                close(false);
            } else if (open(mark)) {
                event.preventDefault();
            }
        });
    });

    document.addEventListener("keydown", (event) => {
        if (event.key === "Escape" && current) {
            event.preventDefault();
            close(true);
        }
    });
    // pointerdown, not click: iOS sends no click for a tap on plain text. A press on the page's
    // scrollbar (aimed at <html>) leaves the popover open.
    document.addEventListener("pointerdown", (event) => {
        const target = event.target;
        if (current && target !== document.documentElement && !popover.contains(target) && !target.closest(MARKS)) {
            close(false);
        }
    });
    document.addEventListener("focusin", (event) => {
        if (current && event.target !== current && !popover.contains(event.target)) {
            close(false);
        }
    });
    goTo.addEventListener("click", () => close(false)); // and the link goes to the list
    window.addEventListener("resize", () => {
        if (current) {
            place();
        }
    });
})();
