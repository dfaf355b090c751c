// Loaded synchronously at the top of <body> so components render in their
// JavaScript-enabled state without a flash; an external file because the
// content security policy allows no inline script.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
