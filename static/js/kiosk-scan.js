/* Scanning a voting slip's QR code with the tablet's camera, where the browser can (BarcodeDetector).
   Needs kiosk-words.js; kiosk.js sets it up with K.scanner(take), which hands each code read to take
   and returns the function that stops the camera. */
(() => {
  "use strict";
  const K = window.AsharKiosk;
  if (!K) return;
  const { $, T, normalise, display, setError } = K;

  K.scanner = (take) => {
    let stream = null;
    let scanTimer = null;
    if ("BarcodeDetector" in window && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
      window.BarcodeDetector.getSupportedFormats()
        .then((formats) => { $("k-scan").hidden = !formats.includes("qr_code"); }).catch(() => {});
    }
    $("k-scan").addEventListener("click", async () => {
      try {
        const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
        const video = $("k-video");
        video.srcObject = stream;
        await video.play();
        $("k-scanner").hidden = false;
        $("k-code-form").hidden = true;
        scanTimer = setInterval(async () => {
          const found = await detector.detect(video).catch(() => []);
          const code = found.map((f) => normalise(f.rawValue)).find(Boolean);
          if (!code) return;
          stopScan();
          $("k-code").value = display(code);
          take(code);
        }, 300);
      } catch (err) {
        stopScan();
        setError("k-code-error", T("camera_failed"));
      }
    });
    $("k-scan-stop").addEventListener("click", stopScan);
    function stopScan() {
      clearInterval(scanTimer);
      scanTimer = null;
      if (stream) stream.getTracks().forEach((track) => track.stop());
      stream = null;
      $("k-scanner").hidden = true;
      $("k-code-form").hidden = false;
    }
    return stopScan;
  };
})();
