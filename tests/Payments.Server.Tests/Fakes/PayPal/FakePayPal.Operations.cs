using System.Text.Json;
using System.Text.Json.Nodes;

namespace Payments.Server.Tests.Fakes.PayPal;

/// <summary>The fake's Orders v2 and Payments v2 rules, as PayPal applies them.</summary>
public sealed partial class FakePayPal
{
    private static string Err(int status, string issue, string description) => FakePayPalJson.Error(status, issue, description).ToJsonString();

    /// <summary>PayPal's length rules for a free-text field (absent is fine; present must have 1..max characters), as a 400.</summary>
    private static (int, string)? BadText(JsonNode? field, string name, int max) =>
        field?.GetValue<string>() is not { } text ? null
        : text.Length == 0 ? (400, Err(400, "INVALID_STRING_MIN_LENGTH", $"{name} must have at least 1 character."))
        : text.Length > max ? (400, Err(400, "INVALID_STRING_MAX_LENGTH", $"{name} must have at most {max} characters, not {text.Length}."))
        : null;

    private (int, string) CreateOrder(PayPalRecordedRequest r)
    {
        JsonNode? body;
        try
        {
            body = r.Json;
        }
        catch (JsonException)
        {
            return (400, Err(400, "MALFORMED_REQUEST_JSON", "The request JSON is not well formed."));
        }
        if (body?["intent"]?.GetValue<string>() != "CAPTURE")
            return (400, Err(400, "INVALID_PARAMETER_VALUE", "intent must be CAPTURE or AUTHORIZE (this fake knows CAPTURE)."));
        if (body["purchase_units"] is not JsonArray { Count: 1 } units || units[0] is not JsonObject unit)
            return (400, Err(400, "INVALID_ARRAY_MAX_ITEMS", "Exactly one purchase unit, please."));
        if (BadText(unit["description"], "purchase_units[0].description", 127) is { } badDescription) return badDescription;
        var (amount, issue) = FakeAmount.Parse(
            unit["amount"]?["currency_code"]?.GetValue<string>(), unit["amount"]?["value"]?.GetValue<string>());
        if (amount is null) return (422, Err(422, issue!, $"The amount {unit["amount"]?.ToJsonString()} is not acceptable."));
        var experience = body["payment_source"]?["paypal"]?["experience_context"];
        if (experience?["return_url"] is null || experience["cancel_url"] is null)
            return (400, Err(400, "MISSING_REQUIRED_PARAMETER", "payment_source.paypal.experience_context.return_url and cancel_url are required."));

        var order = new FakeOrder
        {
            Id = FakePayPalState.NewId(),
            Status = "PAYER_ACTION_REQUIRED",
            Amount = amount,
            ReferenceId = unit["reference_id"]?.GetValue<string>(),
            CustomId = unit["custom_id"]?.GetValue<string>(),
            InvoiceId = unit["invoice_id"]?.GetValue<string>(),
            Description = unit["description"]?.GetValue<string>(),
        };
        lock (State.Gate)
        {
            State.Orders[order.Id] = order;
            return (201, FakePayPalJson.Order(order, BaseAddress).ToJsonString());
        }
    }

    private (int, string) CaptureOrder(string orderId)
    {
        lock (State.Gate)
        {
            if (!State.Orders.TryGetValue(orderId, out var order))
                return (404, Err(404, "INVALID_RESOURCE_ID", "Specified resource ID does not exist."));
            if (order.Status == "COMPLETED")
                return (422, Err(422, "ORDER_ALREADY_CAPTURED", "Order already captured. If 'intent=CAPTURE' only one capture per order is allowed."));
            if (order.Status != "APPROVED")
                return (422, Err(422, "ORDER_NOT_APPROVED", "Payer has not yet approved the Order for payment."));
            if (order.Outcome == CaptureOutcome.Declined)
            {
                // The buyer must pick another funding source: PayPal sends them back to approve again.
                order.Status = "PAYER_ACTION_REQUIRED";
                return (422, Err(422, "INSTRUMENT_DECLINED", "The instrument presented was either declined by the processor or bank, or it can't be used for this payment."));
            }
            Capture(order, order.Outcome);
            return (201, FakePayPalJson.Order(order, BaseAddress).ToJsonString());
        }
    }

    private FakeCapture Capture(FakeOrder order, CaptureOutcome outcome)
    {
        var capture = new FakeCapture
        {
            Id = FakePayPalState.NewId(),
            OrderId = order.Id,
            Status = outcome == CaptureOutcome.Pending ? "PENDING" : "COMPLETED",
            StatusReason = outcome == CaptureOutcome.Pending ? "PENDING_REVIEW" : null,
            Amount = order.Amount,
            CustomId = order.CustomId,
            InvoiceId = order.InvoiceId,
        };
        order.Status = "COMPLETED";
        order.Capture = capture;
        State.Captures[capture.Id] = capture;
        return capture;
    }

    private (int, string) RefundCapture(string captureId, PayPalRecordedRequest r)
    {
        JsonNode? body;
        try
        {
            body = r.Json;
        }
        catch (JsonException)
        {
            return (400, Err(400, "MALFORMED_REQUEST_JSON", "The request JSON is not well formed."));
        }
        if ((BadText(body?["note_to_payer"], "note_to_payer", 255) ?? BadText(body?["custom_id"], "custom_id", 127)) is { } badText)
            return badText;
        lock (State.Gate)
        {
            if (!State.Captures.TryGetValue(captureId, out var capture))
                return (404, Err(404, "INVALID_RESOURCE_ID", "Specified resource ID does not exist."));
            if (capture.Status is not ("COMPLETED" or "PARTIALLY_REFUNDED"))
                return (422, Err(422, capture.Status == "REFUNDED" ? "CAPTURE_FULLY_REFUNDED" : "REFUND_NOT_ALLOWED", $"The capture is {capture.Status}."));

            var amount = capture.Amount with { Units = capture.Amount.Units - capture.RefundedUnits }; // no amount: refund the rest
            if (body?["amount"] is { } requested)
            {
                var (parsed, issue) = FakeAmount.Parse(requested["currency_code"]?.GetValue<string>(), requested["value"]?.GetValue<string>());
                if (parsed is null) return (422, Err(422, issue!, "The refund amount is not acceptable."));
                if (parsed.Currency != capture.Amount.Currency) return (422, Err(422, "CURRENCY_MISMATCH", "Refund and capture currencies differ."));
                if (parsed.Units > capture.Amount.Units - capture.RefundedUnits)
                    return (422, Err(422, "REFUND_AMOUNT_EXCEEDED", "The refund amount must be less than or equal to the capture amount that has not yet been refunded."));
                amount = parsed;
            }

            var refund = new FakeRefund
            {
                Id = FakePayPalState.NewId(),
                CaptureId = capture.Id,
                Status = "COMPLETED",
                Amount = amount,
                CustomId = body?["custom_id"]?.GetValue<string>(),
                InvoiceId = capture.InvoiceId,
                NoteToPayer = body?["note_to_payer"]?.GetValue<string>(),
                TotalRefunded = capture.Amount with { Units = capture.RefundedUnits + amount.Units },
            };
            capture.Refunds.Add(refund);
            capture.Status = capture.RefundedUnits == capture.Amount.Units ? "REFUNDED" : "PARTIALLY_REFUNDED";
            State.Refunds[refund.Id] = refund;
            return (201, FakePayPalJson.Refund(refund, BaseAddress).ToJsonString());
        }
    }
}
