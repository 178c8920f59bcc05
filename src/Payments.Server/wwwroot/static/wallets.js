// Google Pay and Apple Pay buttons on the storefront (see Features/Pages/WalletButtons.cs). Each
// wallet's script comes from its owner (Google's pay.js; Stripe.js for Apple Pay). A wallet that
// cannot load, or cannot pay on this device, draws nothing: the page stays as it is without it.
// A button opens the wallet's sheet for the plan; the token it hands back is posted with the plan
// to /payments/checkout, where the server charges the plan's own price through Stripe.
(function () {
  'use strict';
  var config = document.getElementById('wallets');
  var form = document.getElementById('wallet-form');
  if (!config || !form || !window.Promise) return;
  var slots = Array.prototype.slice.call(document.querySelectorAll('.wallet-buttons'));
  var publishableKey = config.getAttribute('data-stripe-key');
  var country = config.getAttribute('data-country') || 'US';
  var merchantName = config.getAttribute('data-merchant-name');

  function load(src, ready) {
    var script = document.createElement('script');
    script.src = src;
    script.async = true;
    script.onload = ready;
    document.head.appendChild(script); // no onerror: a wallet that cannot load simply offers nothing
  }

  function pay(provider, slot, token) {
    form.elements.plan.value = slot.getAttribute('data-plan');
    form.elements.provider.value = provider;
    form.elements.wallet_token.value = token;
    form.submit();
  }

  function googlePay() {
    if (!window.google || !google.payments || !google.payments.api) return;
    var client = new google.payments.api.PaymentsClient({ environment: config.getAttribute('data-google-pay') });
    var base = { apiVersion: 2, apiVersionMinor: 0 };
    var card = {
      type: 'CARD',
      parameters: { allowedAuthMethods: ['PAN_ONLY', 'CRYPTOGRAM_3DS'], allowedCardNetworks: ['AMEX', 'DISCOVER', 'JCB', 'MASTERCARD', 'VISA'] },
      // Stripe is the gateway: Google hands back a Stripe token (tok_…), which the server charges.
      tokenizationSpecification: {
        type: 'PAYMENT_GATEWAY',
        parameters: { gateway: 'stripe', 'stripe:version': '2018-10-31', 'stripe:publishableKey': publishableKey }
      }
    };
    var ready = { apiVersion: 2, apiVersionMinor: 0, allowedPaymentMethods: [{ type: 'CARD', parameters: card.parameters }] };
    client.isReadyToPay(ready).then(function (answer) {
      if (!answer.result) return;
      slots.forEach(function (slot) {
        slot.appendChild(client.createButton({
          buttonType: 'pay',
          onClick: function () {
            var request = {
              apiVersion: base.apiVersion, apiVersionMinor: base.apiVersionMinor, allowedPaymentMethods: [card],
              transactionInfo: {
                totalPriceStatus: 'FINAL', totalPrice: slot.getAttribute('data-amount'),
                currencyCode: slot.getAttribute('data-currency'), countryCode: country
              },
              merchantInfo: { merchantName: merchantName }
            };
            var merchantId = config.getAttribute('data-google-merchant-id');
            if (merchantId) request.merchantInfo.merchantId = merchantId;
            client.loadPaymentData(request)
              .then(function (paymentData) { pay('googlepay', slot, JSON.stringify(paymentData)); })
              .catch(function () { /* closed by the buyer */ });
          }
        }));
      });
    }).catch(function () { /* Google Pay is not available here */ });
  }

  function applePay() {
    if (!window.Stripe) return;
    var stripe = window.Stripe(publishableKey);
    slots.forEach(function (slot) {
      var amount = Number(slot.getAttribute('data-stripe-amount'));
      if (!amount) return;
      var request = stripe.paymentRequest({
        country: country,
        currency: slot.getAttribute('data-currency').toLowerCase(),
        total: { label: slot.getAttribute('data-label'), amount: amount },
        disableWallets: ['googlePay', 'link', 'browserCard']
      });
      request.on('token', function (event) {
        event.complete('success'); // the charge itself happens on the server, after this page posts
        pay('applepay', slot, JSON.stringify(event.token));
      });
      request.canMakePayment().then(function (result) {
        if (!result || !result.applePay) return;
        var button = document.createElement('button');
        button.type = 'button';
        button.className = 'apple-pay-button';
        button.setAttribute('aria-label', 'Pay with Apple Pay: ' + slot.getAttribute('data-label'));
        button.addEventListener('click', function () { request.show(); });
        slot.appendChild(button);
      });
    });
  }

  // After the page has loaded: a wallet's script that is slow or unreachable never holds up the page.
  function start() {
    if (config.hasAttribute('data-google-pay')) load('https://pay.google.com/gp/p/js/pay.js', googlePay);
    if (config.hasAttribute('data-apple-pay')) load('https://js.stripe.com/v3/', applePay);
  }
  if (document.readyState === 'complete') start();
  else window.addEventListener('load', start);
})();
