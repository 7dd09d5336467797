// The panel's stylesheet (static text: no page data ever goes into it). Lives in the panel's shadow root,
// so the page's CSS can't reach it and it can't reach the page.
(() => {
  const AW = globalThis.AliWatch;

  AW.panelStyles = `
    .aw-overlay { position: fixed; inset: 0; z-index: 2147483647; background: rgba(0,0,0,.45);
      display: flex; align-items: flex-start; justify-content: center; overflow: auto;
      font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; }
    .aw-dialog { background: #fff; margin: 5vh 12px; padding: 18px 20px; border-radius: 10px;
      width: min(680px, 100%); box-shadow: 0 10px 40px rgba(0,0,0,.35); box-sizing: border-box; }
    .aw-head { display: flex; align-items: center; justify-content: space-between; gap: 12px; }
    h2 { font-size: 17px; margin: 0; }
    h3 { font-size: 14px; margin: 18px 0 6px; text-transform: uppercase; letter-spacing: .04em; color: #555; }
    ul, ol { margin: 0; padding: 0; list-style: none; }
    li.aw-warning, li.aw-deadline { margin: 0 0 8px; padding: 8px 10px; border-radius: 6px; background: #f5f5f5;
      border-left: 4px solid #1565c0; }
    li[data-severity="expired"] { border-color: #212121; }
    li[data-severity="urgent"] { border-color: #c62828; }
    li[data-severity="warning"] { border-color: #ef6c00; }
    li.aw-deadline { border-color: #1565c0; }
    li.aw-deadline.aw-past { border-color: #bdbdbd; color: #888; background: #fafafa; }
    li.aw-deadline.aw-past .aw-source { color: #999; }
    .aw-w-title { font-weight: 600; display: block; }
    .aw-w-detail, .aw-source, .aw-w-action { margin: 2px 0 0; color: #333; display: block; }
    .aw-w-action { font-weight: 600; color: #0d47a1; }
    .aw-when { margin-left: 6px; color: #555; }
    .aw-basis { font-size: 12px; color: #555; background: #e0e0e0; border-radius: 4px; padding: 0 5px; margin-left: 6px; }
    ol.aw-escalation { list-style: decimal; padding-left: 22px; margin: 6px 0 0; }
    ol.aw-escalation li { margin: 2px 0; }
    .aw-escalation-title { display: block; margin-top: 6px; font-weight: 600; }
    .aw-empty, .aw-hint { color: #555; margin: 0; }
    .aw-hint { font-size: 12px; margin: 4px 0; }
    .aw-controls { display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: flex-end; }
    .aw-field { display: flex; flex-direction: column; gap: 2px; }
    .aw-field label { font-size: 12px; color: #555; }
    .aw-field-wide { flex: 1 1 100%; }
    select, input { font: inherit; padding: 3px 6px; border: 1px solid #bbb; border-radius: 6px; background: #fff; }
    input[type="number"] { width: 7em; }
    input.aw-calc-currency { width: 5em; text-transform: uppercase; }
    textarea { width: 100%; min-height: 150px; box-sizing: border-box; font: inherit; padding: 8px;
      border: 1px solid #bbb; border-radius: 6px; resize: vertical; }
    textarea.aw-draft-seller { min-height: 110px; }
    .aw-msg-label { display: block; font-weight: 600; margin: 10px 0 4px; }
    button { font: inherit; cursor: pointer; border-radius: 6px; border: 1px solid #888; background: #fff; padding: 4px 12px; }
    button:disabled { cursor: default; opacity: .6; }
    .aw-close { border: none; font-size: 22px; line-height: 1; padding: 2px 8px; background: transparent; }
    .aw-primary { background: #1565c0; color: #fff; border-color: #1565c0; }
    .aw-row { display: flex; align-items: center; gap: 10px; margin-top: 6px; flex-wrap: wrap; }
    .aw-status { color: #2e7d32; }
    .aw-error { color: #c62828; }
    .aw-reason { margin: 6px 0 0; color: #333; }
    ul.aw-evidence li { margin: 3px 0; }
    ul.aw-evidence label { display: flex; gap: 8px; align-items: flex-start; cursor: pointer; }
    ul.aw-evidence input { margin-top: 3px; }
    .aw-calc-result { margin-top: 10px; padding: 8px 10px; border-radius: 6px; background: #f5f5f5; }
    .aw-calc-result p { margin: 2px 0; }
    .aw-calc-result [data-best="true"] { font-weight: 600; }
    .aw-calc-reco { color: #1b5e20; font-weight: 600; }
    .aw-teach-question { font-weight: 600; margin: 0 0 4px; }
    ul.aw-teach-choices li { margin: 3px 0; }
    ul.aw-teach-choices label { display: flex; gap: 8px; align-items: flex-start; cursor: pointer; }
    ul.aw-teach-choices input { margin-top: 3px; }
    .aw-teach-word { font-weight: 600; margin-right: 6px; }
    .aw-teach-plain { display: inline; }
    details { margin-top: 8px; }
    summary { cursor: pointer; font-weight: 600; }
    details p { margin: 4px 0 0; }
  `;
})();
