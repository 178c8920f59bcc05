using System.Text.Json.Nodes;

namespace Payments.Server.Tests.Fakes.PayPal;

/// <summary>The fake's resources in PayPal's JSON shapes (Orders v2, Payments v2, error bodies).</summary>
public static class FakePayPalJson
{
    public static JsonObject Amount(FakeAmount a) => new() { ["currency_code"] = a.Currency, ["value"] = a.Value };

    public static JsonObject Link(string href, string rel, string method) => new() { ["href"] = href, ["rel"] = rel, ["method"] = method };

    public static JsonObject Order(FakeOrder o, Uri api)
    {
        var unit = new JsonObject
        {
            ["reference_id"] = o.ReferenceId ?? "default",
            ["amount"] = Amount(o.Amount),
            ["payee"] = new JsonObject { ["merchant_id"] = "FAKEMERCHANT01" },
        };
        if (o.CustomId is not null) unit["custom_id"] = o.CustomId;
        if (o.InvoiceId is not null) unit["invoice_id"] = o.InvoiceId;
        if (o.Description is not null) unit["description"] = o.Description;
        if (o.Capture is { } c)
            unit["payments"] = new JsonObject
            {
                ["captures"] = new JsonArray(Capture(c, api, withOrderId: false)),
                ["refunds"] = new JsonArray([.. c.Refunds.Select(r => (JsonNode)Refund(r, api))]),
            };

        var links = new JsonArray(Link($"{api}v2/checkout/orders/{o.Id}", "self", "GET"));
        if (o.Status is "CREATED" or "PAYER_ACTION_REQUIRED")
            links.Add(Link($"https://www.sandbox.paypal.com/checkoutnow?token={o.Id}", "payer-action", "GET"));
        if (o.Status == "APPROVED") links.Add(Link($"{api}v2/checkout/orders/{o.Id}/capture", "capture", "POST"));

        return new JsonObject
        {
            ["id"] = o.Id,
            ["intent"] = "CAPTURE",
            ["status"] = o.Status,
            ["payment_source"] = new JsonObject { ["paypal"] = new JsonObject { ["email_address"] = "buyer@example.com", ["account_id"] = "FAKEBUYER0001" } },
            ["purchase_units"] = new JsonArray(unit),
            ["create_time"] = "2026-01-01T00:00:00Z",
            ["update_time"] = o.UpdateTime,
            ["links"] = links,
        };
    }

    public static JsonObject Capture(FakeCapture c, Uri api, bool withOrderId = true)
    {
        var capture = new JsonObject
        {
            ["id"] = c.Id,
            ["status"] = c.Status,
            ["amount"] = Amount(c.Amount),
            ["final_capture"] = true,
            ["seller_protection"] = new JsonObject { ["status"] = "ELIGIBLE" },
            ["create_time"] = "2026-01-01T00:00:00Z",
            ["links"] = new JsonArray(
                Link($"{api}v2/payments/captures/{c.Id}", "self", "GET"),
                Link($"{api}v2/payments/captures/{c.Id}/refund", "refund", "POST"),
                Link($"{api}v2/checkout/orders/{c.OrderId}", "up", "GET")),
        };
        if (c.StatusReason is not null) capture["status_details"] = new JsonObject { ["reason"] = c.StatusReason };
        if (c.CustomId is not null) capture["custom_id"] = c.CustomId;
        if (c.InvoiceId is not null) capture["invoice_id"] = c.InvoiceId;
        // A capture fetched on its own (or in a webhook) names its order; inside the order it does not need to.
        if (withOrderId) capture["supplementary_data"] = new JsonObject { ["related_ids"] = new JsonObject { ["order_id"] = c.OrderId } };
        return capture;
    }

    public static JsonObject Refund(FakeRefund r, Uri api)
    {
        var refund = new JsonObject
        {
            ["id"] = r.Id,
            ["status"] = r.Status,
            ["amount"] = Amount(r.Amount),
            ["seller_payable_breakdown"] = new JsonObject
            {
                ["gross_amount"] = Amount(r.Amount),
                ["net_amount"] = Amount(r.Amount),
                ["total_refunded_amount"] = Amount(r.TotalRefunded),
            },
            ["create_time"] = "2026-01-01T00:00:00Z",
            ["links"] = new JsonArray(
                Link($"{api}v2/payments/refunds/{r.Id}", "self", "GET"),
                Link($"{api}v2/payments/captures/{r.CaptureId}", "up", "GET")),
        };
        if (r.CustomId is not null) refund["custom_id"] = r.CustomId;
        if (r.InvoiceId is not null) refund["invoice_id"] = r.InvoiceId;
        if (r.NoteToPayer is not null) refund["note_to_payer"] = r.NoteToPayer;
        return refund;
    }

    public static JsonObject Error(int status, string issue, string description) => new()
    {
        ["name"] = status switch
        {
            400 => "INVALID_REQUEST",
            401 => "AUTHENTICATION_FAILURE",
            404 => "RESOURCE_NOT_FOUND",
            422 => "UNPROCESSABLE_ENTITY",
            _ => "INTERNAL_SERVER_ERROR",
        },
        ["message"] = "The requested action could not be performed, semantically incorrect, or failed business validation.",
        ["debug_id"] = Guid.NewGuid().ToString("N")[..13],
        ["details"] = new JsonArray(new JsonObject { ["issue"] = issue, ["description"] = description }),
        ["links"] = new JsonArray(Link($"https://developer.paypal.com/docs/api/orders/v2/#error-{issue}", "information_link", "GET")),
    };
}
