// Staff's passkeys page (core/templates/core/two_factor/passkeys.html): once django-otp-webauthn's
// script has added a passkey, the page is loaded again to list it by name.
document.addEventListener("otp_webauthn.register_complete", () => window.location.reload());
