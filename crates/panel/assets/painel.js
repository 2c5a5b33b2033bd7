// Copy buttons: <button data-copy="ID"> copies the value of element #ID.
// The clipboard API needs a secure context; plain HTTP falls back to
// selecting the text and execCommand.
document.addEventListener('click', function (event) {
  var button = event.target.closest('[data-copy]');
  if (!button) return;
  var field = document.getElementById(button.getAttribute('data-copy'));
  if (!field) return;
  var text = field.value !== undefined ? field.value : field.textContent;
  var label = button.textContent;
  function done() {
    button.textContent = 'Copiado!';
    setTimeout(function () { button.textContent = label; }, 2000);
  }
  function fallback() {
    if (field.select) field.select();
    try { document.execCommand('copy'); done(); } catch (e) { /* the text stays selected */ }
  }
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done, fallback);
  } else {
    fallback();
  }
});
