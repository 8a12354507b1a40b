// Ask before submitting a form marked with data-confirm="question".
// Without JavaScript the form submits directly.
document.addEventListener("submit", function (event) {
  var question = event.target.dataset ? event.target.dataset.confirm : null;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
