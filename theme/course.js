// The course's additions to mdBook's pages (book.toml: additional-js). It
// runs after mdBook's book.js, on every page:
//
// - a "Skip to content" link, first on the page;
// - mdBook's sidebar toggle, a <label>, becomes a keyboard button;
// - tables reflow on a phone: each row a block of "heading: value" lines;
// - boxes wider than the column (code, tables, diagrams) scroll in their
//   own box: they are marked, take keyboard focus, and show that there is
//   more to the right ("scroll →" and a shaded edge);
// - compiler errors wrap, each line indented after its `note:` or `|`;
// - a play-button run that cannot reach the Playground says so, names the
//   listing's file and how to run it locally;
// - hints print open.
(function () {
    "use strict";

    const main = document.querySelector("#mdbook-content main");

    // ---- skip link -------------------------------------------------------
    if (main) {
        const skip = document.createElement("a");
        skip.className = "skip-link";
        skip.href = "#mdbook-content";
        skip.textContent = "Skip to content";
        skip.addEventListener("click", (event) => {
            event.preventDefault();
            main.setAttribute("tabindex", "-1");
            main.focus({ preventScroll: true });
            main.scrollIntoView();
        });
        document.body.insertBefore(skip, document.body.firstChild);
    }

    // ---- the sidebar toggle is a button ----------------------------------
    const toggle = document.getElementById("mdbook-sidebar-toggle");
    if (toggle && toggle.tagName === "LABEL") {
        toggle.setAttribute("role", "button");
        toggle.tabIndex = 0;
        toggle.addEventListener("keydown", (event) => {
            if (event.key === "Enter" || event.key === " ") {
                event.preventDefault();
                toggle.click();
            }
        });
    }

    if (!main) {
        return;
    }

    // ---- compiler errors wrap, with a hanging indent ------------------------
    // The indent of a wrapped line: after `error[E0277]: `, `= note: `,
    // `--> `, or a source line's gutter and indentation.
    const HANG = /^(?:\s*(?:\d+\s*)?(?:\||=|-->|:::)\s*)?(?:(?:error|warning|note|help)(?:\[[A-Z]\d+\])?:\s)?/;
    for (const code of main.querySelectorAll(".rustc-output pre > code")) {
        const lines = code.textContent.replace(/\n$/, "").split("\n");
        code.textContent = "";
        for (const line of lines) {
            const span = document.createElement("span");
            span.className = "rustc-line";
            span.textContent = line + "\n";
            const hang = Math.min(HANG.exec(line)[0].length, 16);
            span.style.setProperty("--hang", String(hang));
            code.appendChild(span);
        }
    }

    // ---- tables reflow on a phone ------------------------------------------
    // Each cell learns its column's heading; on a narrow screen
    // (theme/course.css) every row becomes a block of "heading: value"
    // lines. The roles keep the table a table for screen readers.
    const reflowing = [];
    for (const table of main.querySelectorAll("table")) {
        // Long code in a cell may break after `::`, `(` and `,`.
        for (const code of table.querySelectorAll("td code, th code")) {
            if (code.children.length === 0 && /::|\(|,/.test(code.textContent)) {
                const parts = code.textContent.split(/(?<=::|\(|,)/);
                code.textContent = "";
                parts.forEach((part, i) => {
                    if (i > 0) {
                        code.append(document.createElement("wbr"));
                    }
                    code.append(part);
                });
            }
        }
        const headings = Array.from(table.querySelectorAll("thead th")).map((th) => th.textContent.trim());
        if (headings.length === 0) {
            continue;
        }
        table.classList.add("course-reflow");
        reflowing.push(table);
        for (const row of table.querySelectorAll("tbody tr")) {
            Array.from(row.children).forEach((cell, i) => {
                if (headings[i]) {
                    cell.dataset.label = headings[i];
                }
            });
        }
    }
    // While the rows are blocks, explicit roles keep the table a table.
    function tableRoles(on) {
        const set = (el, role) => (on ? el.setAttribute("role", role) : el.removeAttribute("role"));
        for (const table of reflowing) {
            set(table, "table");
            table.querySelectorAll("thead, tbody").forEach((g) => set(g, "rowgroup"));
            table.querySelectorAll("tr").forEach((tr) => set(tr, "row"));
            table.querySelectorAll("thead th").forEach((th) => set(th, "columnheader"));
            table.querySelectorAll("tbody td, tbody th").forEach((td) => set(td, "cell"));
        }
    }
    const narrow = window.matchMedia("(max-width: 599px)");
    tableRoles(narrow.matches);
    narrow.addEventListener("change", (event) => tableRoles(event.matches));

    // ---- boxes that scroll sideways ---------------------------------------
    const boxes = [];
    function register(scroller) {
        let frame = scroller.parentElement;
        if (!frame.matches("pre")) {
            frame = document.createElement("div");
            scroller.replaceWith(frame);
            frame.appendChild(scroller);
        }
        frame.classList.add("course-frame");
        const hint = document.createElement("span");
        hint.className = "course-scroll-hint";
        hint.setAttribute("aria-hidden", "true");
        hint.textContent = "scroll \u2192";
        frame.appendChild(hint);
        const box = { scroller, frame };
        scroller.addEventListener("scroll", () => update(box), { passive: true });
        boxes.push(box);
    }
    function update({ scroller, frame }) {
        const overflow = scroller.scrollWidth - scroller.clientWidth;
        const scrolls = overflow > 1;
        scroller.classList.toggle("course-scroll", scrolls);
        if (scrolls) {
            scroller.tabIndex = 0;
        } else if (scroller.getAttribute("tabindex") === "0") {
            scroller.removeAttribute("tabindex");
        }
        frame.classList.toggle("more-right", scrolls && scroller.scrollLeft < overflow - 1);
        frame.classList.toggle("more-left", scrolls && scroller.scrollLeft > 1);
    }
    let pending = false;
    function updateAll() {
        if (pending) {
            return;
        }
        pending = true;
        requestAnimationFrame(() => {
            pending = false;
            boxes.forEach(update);
            loose.forEach(updateLoose);
        });
    }
    main.querySelectorAll("pre > code, .table-wrapper, .diagram-scroll").forEach(register);
    boxes.forEach(update);
    window.addEventListener("resize", updateAll);
    window.addEventListener("load", updateAll);
    if (document.fonts) {
        document.fonts.ready.then(updateAll);
    }
    if (window.ResizeObserver) {
        new ResizeObserver(updateAll).observe(main);
    }
    // Code that mdbook-quiz draws once a quiz starts: it belongs to the
    // quiz, so it is marked, never wrapped.
    const loose = new Set();
    function updateLoose(pre) {
        const overflow = pre.scrollWidth - pre.clientWidth;
        const scrolls = overflow > 1;
        pre.classList.toggle("course-scroll", scrolls);
        pre.classList.toggle("course-more", scrolls && pre.scrollLeft < overflow - 1);
        if (scrolls) {
            pre.tabIndex = 0;
        }
    }
    function scanQuizzes() {
        for (const pre of main.querySelectorAll(".mdbook-quiz pre")) {
            if (!loose.has(pre)) {
                loose.add(pre);
                pre.addEventListener("scroll", () => updateLoose(pre), { passive: true });
            }
            updateLoose(pre);
        }
    }
    // "Show hidden lines" changes a listing's width.
    main.addEventListener("click", (event) => {
        if (event.target.closest("button")) {
            setTimeout(updateAll, 0);
        }
    });

    // ---- a play-button run that fails ---------------------------------------
    // mdBook writes "Playground Communication: <reason>" into the result box
    // when the request fails or times out; that is replaced by an
    // explanation.
    const FAILED = "Playground Communication:";
    function paragraph(parts) {
        const p = document.createElement("span");
        p.className = "playground-paragraph";
        p.style.display = "block";
        for (const part of parts) {
            if (typeof part === "string") {
                p.append(part);
            } else {
                const element = document.createElement(part.tag);
                element.textContent = part.text;
                p.append(element);
            }
        }
        return p;
    }
    function explain(result) {
        const reason = result.textContent.slice(FAILED.length).trim();
        const pre = result.closest("pre");
        const listing = result.closest(".listing");
        const file = listing ? listing.dataset.file : null;
        const code = pre ? pre.querySelector("code:not(.result)") : null;
        const editionClass = code ? Array.from(code.classList).find((c) => /^edition\d+$/.test(c)) : null;
        const edition = editionClass ? editionClass.slice("edition".length) : "2024";
        result.classList.add("playground-failed");
        result.textContent = "";
        const message = document.createElement("span");
        message.className = "playground-message";
        message.setAttribute("role", "alert");
        message.append(paragraph([
            { tag: "strong", text: "The Rust Playground could not be reached, so this program did not run." },
            ` (The browser said: ${reason || "no answer"}.)`,
        ]));
        message.append(paragraph([
            "The ▶ button sends the code to play.rust-lang.org, the one thing in this book that needs the network: you may be offline, or the Playground may be down.",
        ]));
        if (file && file.endsWith(".rs")) {
            const name = file.split("/").pop().replace(/\.rs$/, "");
            message.append(paragraph([
                "To run it on your machine, from a clone of the course's repository: ",
                { tag: "code", text: `rustc --edition ${edition} -o ${name} ${file}` },
                ", then ",
                { tag: "code", text: `./${name}` },
                ".",
            ]));
        } else {
            message.append(paragraph([
                "To run it on your machine, put it in src/main.rs of a new project (",
                { tag: "code", text: "cargo new try-it" },
                ") and run ",
                { tag: "code", text: "cargo run" },
                ".",
            ]));
        }
        result.append(message);
    }
    new MutationObserver((records) => {
        for (const record of records) {
            const target = record.target.nodeType === Node.ELEMENT_NODE ? record.target : record.target.parentElement;
            const result = target && target.closest("code.result");
            if (!result) {
                continue;
            }
            if (result.textContent.startsWith(FAILED)) {
                explain(result);
            } else if (result.classList.contains("playground-failed") && !result.querySelector(".playground-message")) {
                result.classList.remove("playground-failed");
            }
        }
        updateAll();
        scanQuizzes();
    }).observe(main, { childList: true, subtree: true, characterData: true });

    // ---- hints print open ---------------------------------------------------
    let opened = [];
    window.addEventListener("beforeprint", () => {
        opened = Array.from(document.querySelectorAll("details:not([open])"));
        opened.forEach((d) => { d.open = true; });
    });
    window.addEventListener("afterprint", () => {
        opened.forEach((d) => { d.open = false; });
        opened = [];
    });
})();
