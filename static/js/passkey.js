// After a passkey is registered (django-otp-webauthn's script), show the updated list.
document.addEventListener("otp_webauthn.register_complete", () => window.location.reload());
