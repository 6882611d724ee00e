// Door check-in: read a QR code with the phone's camera, or from a photo, with jsQR (our own static copy).
// The code's text goes into the form's field and the form is sent: the server decides (services.check_in_by_code).
// Without JavaScript (or without jsQR) the field stays usable by hand or with a barcode scanner that types.
(function () {
  "use strict";
  var MAX_SIDE = 1280; // photos from phones are large: scaling down keeps decoding fast and reliable

  document.querySelectorAll("[data-qr-scanner]").forEach(function (scanner) {
    var form = scanner.querySelector("[data-qr-form]");
    var input = scanner.querySelector("[data-qr-input]");
    var status = scanner.querySelector("[data-qr-status]");
    var cameraButton = scanner.querySelector("[data-qr-camera]");
    var video = scanner.querySelector("[data-qr-video]");
    var photo = scanner.querySelector("[data-qr-photo]");
    var fileInput = scanner.querySelector("[data-qr-file]");
    var canvas = document.createElement("canvas");
    var context2d = canvas.getContext("2d", { willReadFrequently: true });
    var stream = null;
    var sent = false;

    if (typeof window.jsQR !== "function" || !form || !input) { return; }

    function say(message) { status.textContent = message; }
    // The French sentences come from the template (translated there), in data-msg-* attributes.
    function text(name) { return scanner.dataset["msg" + name.charAt(0).toUpperCase() + name.slice(1)] || ""; }

    function decode(source, width, height, inversion) {
      var scale = Math.min(1, MAX_SIDE / Math.max(width, height));
      canvas.width = Math.max(1, Math.round(width * scale));
      canvas.height = Math.max(1, Math.round(height * scale));
      context2d.drawImage(source, 0, 0, canvas.width, canvas.height);
      var pixels = context2d.getImageData(0, 0, canvas.width, canvas.height);
      return window.jsQR(pixels.data, pixels.width, pixels.height, { inversionAttempts: inversion });
    }

    function send(value) {
      if (sent) { return; }
      sent = true;
      stopCamera();
      input.value = value;
      say(text("reading"));
      if (typeof form.requestSubmit === "function") { form.requestSubmit(); } else { form.submit(); }
    }

    // The photo fallback: works on every phone, even where the page cannot open the camera itself.
    photo.hidden = false;
    fileInput.addEventListener("change", function () {
      var file = fileInput.files && fileInput.files[0];
      if (!file) { return; }
      say(text("photo"));
      var url = URL.createObjectURL(file);
      var image = new Image();
      image.onload = function () {
        var code = decode(image, image.naturalWidth, image.naturalHeight, "attemptBoth");
        URL.revokeObjectURL(url);
        if (code && code.data) { send(code.data); }
        else { say(text("notFound")); }
      };
      image.onerror = function () {
        URL.revokeObjectURL(url);
        say(text("unreadable"));
      };
      image.src = url;
    });

    // The live camera: only where the browser allows it (a secure page, a camera, permission given).
    function stopCamera() {
      if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
      stream = null;
      video.hidden = true;
      cameraButton.textContent = text("start");
      cameraButton.setAttribute("aria-pressed", "false");
    }

    function scanFrame() {
      if (!stream) { return; }
      if (video.readyState === video.HAVE_ENOUGH_DATA) {
        var code = decode(video, video.videoWidth, video.videoHeight, "dontInvert");
        if (code && code.data) { send(code.data); return; }
      }
      window.requestAnimationFrame(scanFrame);
    }

    if (navigator.mediaDevices && typeof navigator.mediaDevices.getUserMedia === "function") {
      cameraButton.hidden = false;
      cameraButton.setAttribute("aria-pressed", "false");
      cameraButton.addEventListener("click", function () {
        if (stream) { stopCamera(); say(""); return; }
        navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
          .then(function (mediaStream) {
            stream = mediaStream;
            video.srcObject = mediaStream;
            video.hidden = false;
            cameraButton.textContent = text("stop");
            cameraButton.setAttribute("aria-pressed", "true");
            say(text("aim"));
            return video.play().then(function () { window.requestAnimationFrame(scanFrame); });
          })
          .catch(function () {
            stopCamera();
            say(text("noCamera"));
          });
      });
    }
  });
})();
