/* "Leave a Reply" enhancements; the form works without any of this.
 * - remembers name/email/website in this browser when the reader consents (localStorage,
 *   so cached pages stay free of personal data);
 * - moves the form under a comment when its Reply link is clicked;
 * - turns the browser's one-field bubbles off (novalidate; the fields keep required and
 *   aria-required), so one submit lists every missing field in the page's error summary;
 * - focuses the error summary after a refused post, and the reader's own comment with its
 *   "what happens next" status after an accepted one;
 * - asks for a fresh form stamp when the reader starts writing: a page a CDN or proxy kept
 *   carries the stamp it was stored with (older, and shared by every reader of that copy).
 *   A form sent back with errors has no stamp URL: its stamp keeps the reader's fill time;
 * - adds the reader's own Edit and Delete links to the comments this browser posted, while
 *   their window lasts (comments/author_links.py): the HTML a page cache shares never has them. */
(function () {
  "use strict";
  var STORE_KEY = "comment-author-details";

  (function addAuthorLinks() {
    var section = document.getElementById("comments");
    var data = section ? section.dataset : null;
    if (!data || !data.authorEditUrl) { return; }
    var cookie = document.cookie.match(/(?:^|;\s*)comment_editable=([^;]*)/);
    if (!cookie) { return; }
    var now = Date.now() / 1000;
    cookie[1].split(".").forEach(function (part) {
      var pieces = part.split("-");
      var id = pieces[0];
      if (!/^\d+$/.test(id) || !(Number(pieces[1]) > now)) { return; }
      var article = document.getElementById("comment-" + id);
      if (!article || article.querySelector(".comment-author-links")) { return; }
      var item = article.parentNode;
      if (data.authorUntilReply !== undefined && item && item.querySelector(":scope > ol.children")) {
        return;  // the site closes the window at the first reply
      }
      var links = document.createElement("p");
      links.className = "comment-author-links";
      [["authorEditUrl", "authorEditLabel"], ["authorDeleteUrl", "authorDeleteLabel"]].forEach(
        function (names, index) {
          var link = document.createElement("a");
          link.href = data[names[0]].replace(data.authorIdPlaceholder, id);
          link.textContent = data[names[1]];
          if (index) { links.appendChild(document.createTextNode(" ")); }
          links.appendChild(link);
        }
      );
      var body = article.querySelector(".comment-body");
      if (body) { body.parentNode.insertBefore(links, body.nextSibling); }
    });
  })();
  var status = document.getElementById("comment-status");
  var ownComment = status && status.closest ? status.closest("article") : null;
  if (ownComment) {
    // The redirect's #comment-N scrolled here; focus it (named by the status heading) and
    // keep that heading in view.
    ownComment.focus({ preventScroll: true });
    ownComment.scrollIntoView({ block: "start" });
  }

  var form = document.getElementById("commentform");
  var respond = document.getElementById("respond");
  if (!form || !respond) { return; }
  form.noValidate = true;

  var fields = ["name", "email", "website"];
  var consent = form.querySelector("#id_save_details");

  function readDetails() {
    try { return JSON.parse(window.localStorage.getItem(STORE_KEY) || "null"); }
    catch (e) { return null; }
  }

  var saved = readDetails();
  if (saved) {
    fields.forEach(function (name) {
      var input = form.elements[name];
      if (input && !input.value && typeof saved[name] === "string") { input.value = saved[name]; }
    });
    if (consent) { consent.checked = true; }
  }

  form.addEventListener("submit", function () {
    try {
      if (consent && consent.checked) {
        var details = {};
        fields.forEach(function (name) { details[name] = form.elements[name] ? form.elements[name].value : ""; });
        window.localStorage.setItem(STORE_KEY, JSON.stringify(details));
      } else {
        window.localStorage.removeItem(STORE_KEY);
      }
    } catch (e) { /* storage may be disabled; the comment still posts */ }
  });

  var title = document.getElementById("reply-title");
  var parentInput = document.getElementById("comment_parent");
  var placeholder = document.createElement("div");
  placeholder.id = "respond-placeholder";
  placeholder.hidden = true;
  respond.parentNode.insertBefore(placeholder, respond);

  function setTitle(authorName) {
    // The sentences come from the page (comments/messages.py): a translation applies here too.
    var text = title.dataset;
    title.textContent = "";
    var cancel = document.createElement("a");
    cancel.id = "cancel-comment-reply-link";
    cancel.href = "#respond";
    cancel.textContent = text.cancelReply;
    cancel.addEventListener("click", function (event) { event.preventDefault(); cancelReply(); });
    if (authorName) {
      title.appendChild(document.createTextNode(text.replyTo + " "));
      var name = document.createElement("span");
      name.className = "reply-to-name";
      name.textContent = authorName;
      title.appendChild(name);
      var small = document.createElement("small");
      small.appendChild(document.createTextNode(" · "));
      small.appendChild(cancel);
      title.appendChild(document.createTextNode(" "));
      title.appendChild(small);
    } else {
      title.appendChild(document.createTextNode(text.leaveAReply));
    }
  }

  function cancelReply() {
    parentInput.value = "";
    placeholder.parentNode.insertBefore(respond, placeholder);
    setTitle("");
    form.elements.body.focus();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest(".comment-reply-link") : null;
    if (!link) { return; }
    event.preventDefault();
    var article = document.getElementById("comment-" + link.getAttribute("data-comment-id"));
    if (!article) { return; }
    parentInput.value = link.getAttribute("data-comment-id");
    article.parentNode.insertBefore(respond, article.nextSibling);
    setTitle(link.getAttribute("data-author"));
    form.elements.body.focus();
  });

  var existingCancel = document.getElementById("cancel-comment-reply-link");
  if (existingCancel && parentInput.value) {
    var current = document.getElementById("comment-" + parentInput.value);
    if (current) {
      current.parentNode.insertBefore(respond, current.nextSibling);
    }
    existingCancel.addEventListener("click", function (event) { event.preventDefault(); cancelReply(); });
  }

  var summary = document.getElementById("comment-error-summary");
  if (summary) { summary.focus(); }

  var stampInput = form.elements.stamp;
  var stampRequested = false;
  form.addEventListener("focusin", function () {
    if (stampRequested || !stampInput || !form.dataset.stampUrl || !window.fetch) { return; }
    stampRequested = true;
    window.fetch(form.dataset.stampUrl, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && typeof data.stamp === "string") { stampInput.value = data.stamp; }
      })
      .catch(function () { /* the page's own stamp still works */ });
  });
})();

/* "Report this comment": the link opens its page's form inline, under the comment, and sends
 * it without leaving the article. Without JavaScript (or if the form cannot be fetched) the
 * link simply opens /comments/<id>/report/, which works on its own. */
(function () {
  "use strict";
  if (!window.fetch || !window.DOMParser) { return; }

  function reportBox(html) {
    var found = new DOMParser().parseFromString(html, "text/html").getElementById("comment-report");
    if (!found) { return null; }
    var box = document.createElement("div");
    box.className = "comment-report-inline";
    box.setAttribute("data-report-inline", "");
    // The page's own heading and "back" link are not needed beside the comment.
    var heading = found.querySelector("h1");
    if (heading) { heading.remove(); }
    var back = found.querySelector(".report-back");
    if (back) { back.remove(); }
    while (found.firstChild) { box.appendChild(found.firstChild); }
    return box;
  }

  function show(article, link, box) {
    var previous = article.querySelector("[data-report-inline]");
    if (previous) { previous.remove(); }
    article.appendChild(box);
    var focus = box.querySelector(".error-summary, .report-result");
    if (focus) {
      focus.setAttribute("tabindex", "-1");
      focus.focus();
    } else {
      var first = box.querySelector("input, textarea");
      if (first) { first.focus(); }
    }
    var form = box.querySelector("form.comment-report-form");
    if (form) { form.addEventListener("submit", function (event) { send(event, article, link, form); }); }
    if (box.querySelector(".report-result") && link.parentNode) { link.parentNode.hidden = true; }
  }

  function send(event, article, link, form) {
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = true; }
    window.fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "XMLHttpRequest" }
    })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var box = reportBox(html);
        if (box) { show(article, link, box); } else { form.submit(); }
      })
      .catch(function () { form.submit(); });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest(".comment-report-link") : null;
    if (!link) { return; }
    var article = document.getElementById("comment-" + link.getAttribute("data-comment-id"));
    if (!article) { return; }
    event.preventDefault();
    window.fetch(link.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var box = reportBox(html);
        if (box) { show(article, link, box); } else { window.location.href = link.href; }
      })
      .catch(function () { window.location.href = link.href; });
  });
})();
