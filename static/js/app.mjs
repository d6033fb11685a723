// Starts the NHS.UK frontend components. Loaded as a module from a static file: the Content-Security-Policy
// forbids inline script, so the classes NHS.UK's page template sets inline are set here instead.
// A browser that runs this module supports NHS.UK frontend, which is what the second class says.
import { initAll } from '../nhsuk/nhsuk-frontend.min.js'

document.body.classList.add('js-enabled', 'nhsuk-frontend-supported')
initAll()

// Accessibility tests (issue 6): NHS.UK frontend's file upload button puts its status ("No file chosen")
// right against "Choose file", so its visible text reads "No file chosenChoose file", which is not part of
// its accessible name (WCAG 2.5.3, label in name; axe-core flags it) and runs together with CSS off.
// A space after the status fixes both; the component only ever changes the status span's own text.
for (const status of document.querySelectorAll('.nhsuk-file-upload__status')) {
  status.after(document.createTextNode(' '))
}

// The file upload's visible control is the button NHS.UK frontend puts in place of the hidden input: when
// the input is invalid (Django marks it aria-invalid), so is the button, for screen readers and to the eye
// (app.css), as NHS.UK frontend does not carry the state across itself.
for (const input of document.querySelectorAll('.nhsuk-file-upload__input[aria-invalid="true"]')) {
  const button = input.closest('.nhsuk-file-upload')?.querySelector('.nhsuk-file-upload__drop-button')
  if (button) {
    button.setAttribute('aria-invalid', 'true')
    button.classList.add('app-file-upload__drop-button--error')
  }
}
