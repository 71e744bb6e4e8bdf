/*
 * The moderation queue, by keyboard: WordPress's shortcuts (listed in Wagtail's keyboard
 * shortcuts dialog, from comments/queue_shortcuts.py), each row's actions as one toolbar
 * (one Tab stop, arrow keys along it), focus kept in place after an action, and Wagtail's bulk
 * bar speaking of comments. Shortcuts never fire while typing in a field, in a dialog, with
 * Ctrl, Alt or Cmd held, or when the moderator turned Wagtail's shortcuts off in their account.
 */
(() => {
  'use strict';

  const ROWS = '#listing-results tbody tr';
  const CHECKBOX = '[data-bulk-action-checkbox]';
  const FOCUS_KEY = 'comments:queue-focus';
  const config = JSON.parse(document.getElementById('comment-queue-config').textContent);

  const rows = () => Array.from(document.querySelectorAll(ROWS));
  const here = () => window.location.pathname + window.location.search;

  function currentRow() {
    const focused = document.activeElement;
    return focused && focused.closest ? focused.closest(ROWS) : null;
  }

  function focusRow(row) {
    if (!row) return;
    const target = row.querySelector(CHECKBOX) || row.querySelector('[tabindex="0"]');
    if (target) target.focus();
    row.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }

  function move(step) {
    const all = rows();
    if (!all.length) return;
    const index = all.indexOf(currentRow());
    const next = index === -1 ? (step > 0 ? 0 : all.length - 1) : index + step;
    focusRow(all[Math.min(Math.max(next, 0), all.length - 1)]);
  }

  /* After an action the page reloads: the row at the same place (the next comment) has focus. */
  function rememberPlace(row) {
    const place = { path: here(), index: rows().indexOf(row) };
    window.sessionStorage.setItem(FOCUS_KEY, JSON.stringify(place));
  }

  function restorePlace() {
    const saved = window.sessionStorage.getItem(FOCUS_KEY);
    if (!saved) return;
    window.sessionStorage.removeItem(FOCUS_KEY);
    const place = JSON.parse(saved);
    const all = rows();
    if (place.path === here() && all.length) focusRow(all[Math.min(place.index, all.length - 1)]);
  }

  function onRow(targets) {
    const row = currentRow();
    if (!row) return;
    for (const name of targets) {
      const control = row.querySelector(
        `[data-comment-action="${name}"], [data-comment-link="${name}"]`,
      );
      if (control) {
        rememberPlace(row);
        control.click();
        return;
      }
    }
  }

  function toggleRow() {
    const row = currentRow();
    const box = row && row.querySelector(CHECKBOX);
    if (box) box.click();
  }

  function toggleAll() {
    const box = document.querySelector('[data-bulk-action-select-all-checkbox]');
    if (box) box.click();
  }

  /* As Wagtail's bulk bar does: the action's URL with the selected ids and the way back. */
  function bulk(actionType) {
    const ids = Array.from(document.querySelectorAll(`${CHECKBOX}:checked`)).map(
      (box) => box.dataset.objectId,
    );
    const url = config.bulkUrls[actionType];
    if (!ids.length || !url) return;
    const params = new URLSearchParams();
    ids.forEach((id) => params.append('id', id));
    params.append('next', here());
    window.location.href = `${url}?${params}`;
  }

  const COMMANDS = {
    next: () => move(1),
    previous: () => move(-1),
    select: toggleRow,
    'select-all': toggleAll,
    row: (shortcut) => onRow(shortcut.targets),
    bulk: (shortcut) => bulk(shortcut.targets[0]),
  };
  const byKey = new Map(config.shortcuts.map((shortcut) => [shortcut.key, shortcut]));

  function isTyping(target) {
    if (!(target instanceof Element)) return false;
    if (target.isContentEditable || target.closest('textarea, select')) return true;
    if (target instanceof HTMLInputElement) {
      return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(target.type);
    }
    return false;
  }

  const dialogOpen = () => Boolean(document.querySelector('.w-dialog:not([aria-hidden="true"])'));

  function onKeydown(event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.isComposing || event.key.length !== 1) return;
    if (isTyping(event.target) || dialogOpen()) return;
    const shortcut = byKey.get((event.shiftKey ? 'shift+' : '') + event.key.toLowerCase());
    if (!shortcut) return;
    event.preventDefault();
    COMMANDS[shortcut.command](shortcut);
  }

  /* WAI-ARIA toolbar: one Tab stop per row; Left/Right, Home/End move along its buttons. */
  function setUpRows() {
    // j and k leave focus on a row's checkbox: Wagtail's own keys (? for the shortcuts, / to
    // search) work there too. Mousetrap ignores inputs unless they carry this class.
    document.querySelectorAll(`${ROWS} ${CHECKBOX}`).forEach((box) => {
      box.classList.add('mousetrap');
    });
    document.querySelectorAll(`${ROWS} [role="toolbar"]`).forEach((toolbar) => {
      const items = Array.from(toolbar.querySelectorAll('button, a[href]'));
      items.forEach((item, index) => {
        item.tabIndex = index === 0 ? 0 : -1;
      });
      toolbar.addEventListener('keydown', (event) => {
        const index = items.indexOf(document.activeElement);
        if (index === -1) return;
        const last = items.length - 1;
        const next = {
          ArrowRight: index === last ? 0 : index + 1,
          ArrowLeft: index === 0 ? last : index - 1,
          Home: 0,
          End: last,
        }[event.key];
        if (next === undefined) return;
        event.preventDefault();
        items[index].tabIndex = -1;
        items[next].tabIndex = 0;
        items[next].focus();
      });
    });
  }

  function nameBulkBar() {
    const strings = window.wagtailConfig && window.wagtailConfig.STRINGS;
    if (strings && strings.BULK_ACTIONS) strings.BULK_ACTIONS.COMMENT = config.bulkStrings;
  }

  function start() {
    nameBulkBar();
    setUpRows();
    // Filters and search reload the results in place (Wagtail's w-swap).
    document.addEventListener('w-swap:success', setUpRows);
    const enabled = !window.wagtailConfig || window.wagtailConfig.KEYBOARD_SHORTCUTS_ENABLED !== false;
    if (enabled) {
      document.addEventListener('keydown', onKeydown);
      restorePlace();
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
