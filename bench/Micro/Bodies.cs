using System.Text;

namespace Payments.Bench.Micro;

/// <summary>Webhook bodies shaped like the real ones (field set and size), written out so they are byte-exact.</summary>
public static class Bodies
{
    /// <summary>Stripe's <c>checkout.session.completed</c> for a paid hosted session, pretty-printed as Stripe sends it.</summary>
    public static byte[] StripeCheckoutCompleted() => Encoding.UTF8.GetBytes("""
        {
          "id": "evt_1QmicroBenchmarkEvent01",
          "object": "event",
          "api_version": "2026-10-28.endive",
          "created": 1760000000,
          "data": {
            "object": {
              "id": "cs_test_a1micRoBenchMarkSession0000000000000000000000000000",
              "object": "checkout.session",
              "adaptive_pricing": { "enabled": false },
              "after_expiration": null,
              "allow_promotion_codes": null,
              "amount_subtotal": 1900,
              "amount_total": 1900,
              "automatic_tax": { "enabled": false, "liability": null, "status": null },
              "billing_address_collection": null,
              "cancel_url": "https://shop.example/payments/cancel?payment_id=pay_01k9microbenchmark0000000000",
              "client_reference_id": "pay_01k9microbenchmark0000000000",
              "created": 1759999900,
              "currency": "eur",
              "customer": null,
              "customer_creation": "if_required",
              "customer_details": { "address": { "city": null, "country": "DK", "line1": null, "line2": null, "postal_code": null, "state": null },
                "email": "buyer@example.com", "name": "Bench Buyer", "phone": null, "tax_exempt": "none", "tax_ids": [] },
              "customer_email": null,
              "expires_at": 1760003500,
              "invoice": null,
              "livemode": false,
              "locale": null,
              "metadata": { "payment_id": "pay_01k9microbenchmark0000000000", "plan": "basic" },
              "mode": "payment",
              "payment_intent": "pi_3QmicroBenchmarkIntent01",
              "payment_link": null,
              "payment_method_collection": "if_required",
              "payment_method_types": [ "card" ],
              "payment_status": "paid",
              "shipping_address_collection": null,
              "status": "complete",
              "submit_type": null,
              "subscription": null,
              "success_url": "https://shop.example/payments/thanks?payment_id=pay_01k9microbenchmark0000000000",
              "total_details": { "amount_discount": 0, "amount_shipping": 0, "amount_tax": 0 },
              "ui_mode": "hosted",
              "url": null
            }
          },
          "livemode": false,
          "pending_webhooks": 1,
          "request": { "id": null, "idempotency_key": null },
          "type": "checkout.session.completed"
        }
        """);

    /// <summary>PayPal's <c>PAYMENT.CAPTURE.COMPLETED</c> (Payments v2 capture resource), compact as PayPal sends it.</summary>
    public static byte[] PayPalCaptureCompleted() => Encoding.UTF8.GetBytes("""
        {"id":"WH-58D329510W468432D-8HN650336L201105X","event_version":"1.0","create_time":"2025-10-09T08:53:20.000Z",
        "resource_type":"capture","resource_version":"2.0","event_type":"PAYMENT.CAPTURE.COMPLETED",
        "summary":"Payment completed for EUR 19.0 EUR","resource":{"id":"2GG279541U471931P","status":"COMPLETED",
        "amount":{"currency_code":"EUR","value":"19.00"},"final_capture":true,"seller_protection":{"status":"ELIGIBLE",
        "dispute_categories":["ITEM_NOT_RECEIVED","UNAUTHORIZED_TRANSACTION"]},"seller_receivable_breakdown":{
        "gross_amount":{"currency_code":"EUR","value":"19.00"},"paypal_fee":{"currency_code":"EUR","value":"0.99"},
        "net_amount":{"currency_code":"EUR","value":"18.01"}},"custom_id":"pay_01k9microbenchmark0000000000",
        "links":[{"href":"https://api.paypal.com/v2/payments/captures/2GG279541U471931P","rel":"self","method":"GET"},
        {"href":"https://api.paypal.com/v2/payments/captures/2GG279541U471931P/refund","rel":"refund","method":"POST"},
        {"href":"https://api.paypal.com/v2/checkout/orders/5O190127TN364715T","rel":"up","method":"GET"}],
        "create_time":"2025-10-09T08:53:18Z","update_time":"2025-10-09T08:53:18Z"},
        "links":[{"href":"https://api.paypal.com/v1/notifications/webhooks-events/WH-58D329510W468432D-8HN650336L201105X",
        "rel":"self","method":"GET"}]}
        """.ReplaceLineEndings(""));
}
