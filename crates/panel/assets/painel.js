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

// CPF/CNPJ mask: <input data-doc-mask="SELECT_ID"> is shaped as the user
// types, as a CPF (000.000.000-00) or a CNPJ (00.000.000/0000-00) according
// to the PF/PJ select. Only digits are shaped; anything else is left alone,
// and the server checks the value either way.
document.addEventListener('input', function (event) {
  var field = event.target;
  if (!field.hasAttribute || !field.hasAttribute('data-doc-mask')) return;
  var kind = document.getElementById(field.getAttribute('data-doc-mask'));
  if (!/^[0-9.\/-]*$/.test(field.value)) return;
  var d = field.value.replace(/\D/g, '');
  var pj = kind && kind.value === 'PJ';
  var cuts = pj ? [[2, '.'], [5, '.'], [8, '/'], [12, '-']] : [[3, '.'], [6, '.'], [9, '-']];
  d = d.slice(0, pj ? 14 : 11);
  var out = '';
  for (var i = 0; i < d.length; i++) {
    for (var j = 0; j < cuts.length; j++) {
      if (cuts[j][0] === i) out += cuts[j][1];
    }
    out += d[i];
  }
  field.value = out;
});

// Pickers: <input data-picker="SELECT_ID" data-source="URL"> refills the
// select with the records matching what is typed (the server's search:
// URL?q=…); "Nenhum" and the current choice stay. Without this script the
// "Buscar" button next to the box does the same in a round trip.
(function () {
  var timers = {};
  function refill(box) {
    var select = document.getElementById(box.getAttribute('data-picker'));
    if (!select) return;
    clearTimeout(timers[select.id]);
    timers[select.id] = setTimeout(function () {
      var url = box.getAttribute('data-source') + '?q=' + encodeURIComponent(box.value);
      fetch(url, { credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (html === null) return;
          var keep = Array.prototype.filter.call(select.options, function (o) {
            return o.value === '' || o.selected;
          });
          var found = document.createElement('select');
          found.innerHTML = html;
          select.innerHTML = '';
          keep.forEach(function (o) { select.appendChild(o); });
          Array.prototype.slice.call(found.options).forEach(function (o) {
            var known = keep.some(function (k) { return k.value === o.value; });
            if (!known) select.appendChild(o);
          });
        });
    }, 250);
  }
  document.addEventListener('input', function (event) {
    var box = event.target;
    if (box.hasAttribute && box.hasAttribute('data-picker')) refill(box);
  });
  // Enter in a picker's box searches instead of saving the form.
  document.addEventListener('keydown', function (event) {
    var box = event.target;
    if (event.key === 'Enter' && box.hasAttribute && box.hasAttribute('data-picker')) {
      event.preventDefault();
      refill(box);
    }
  });
})();
