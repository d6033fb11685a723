// Starts the NHS.UK frontend components. Loaded as a module from a static file: the Content-Security-Policy
// forbids inline script, so the classes NHS.UK's page template sets inline are set here instead.
// A browser that runs this module supports NHS.UK frontend, which is what the second class says.
import { initAll } from '../nhsuk/nhsuk-frontend.min.js'

document.body.classList.add('js-enabled', 'nhsuk-frontend-supported')
initAll()
