using Payments.Client.Tests.Support;

namespace Payments.Client.Tests;

/// <summary>The host's backend charges its own receipt through the client, end to end against the real service.</summary>
public sealed class HostPaymentTests(ClientServer server)
{
    private static string NewReference() => "receipt-" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task A_service_key_pays_its_own_amount_verifies_it_refunds_part_and_finds_it_by_reference()
    {
        var service = await server.ServiceAsync();
        var reference = NewReference();
        var metadata = new Dictionary<string, string> { ["orderId"] = "o-17", ["Mixed_Key-1"] = "Ærø ✓" };

        var intent = await service.CreateIntentAsync(new CreateIntentRequest
        {
            Amount = 12345, Currency = "THB", Description = "HPC usage receipt #17", Reference = reference, UserId = "host-user-1",
            Metadata = metadata, SuccessUrl = "https://shop.example/paid",
        });
        Assert.StartsWith("pay_", intent.PaymentId);
        Assert.Equal((12345L, "THB", "pending", reference, false), (intent.Amount, intent.Currency, intent.Status, intent.Reference, intent.Repeated));
        Assert.Equal(metadata, intent.Metadata); // keys verbatim: orderId stays orderId
        Assert.NotNull(intent.RedirectUrl);
        Assert.NotNull(intent.ExpiresAt);

        await server.PayAsync(intent.ProviderPaymentId);
        var verified = await service.VerifyAsync(intent.PaymentId);
        Assert.Equal((PaymentStatuses.Succeeded, 12345L, "THB", 0L), (verified.Status, verified.Amount, verified.Currency, verified.Refunded));

        var refund = await server.Admin.RefundAsync(intent.PaymentId, 2345, "goodwill");
        Assert.StartsWith("re", refund.RefundId);
        Assert.Equal((2345L, "THB", "succeeded", PaymentStatuses.PartiallyRefunded, 2345L),
            (refund.Amount, refund.Currency, refund.Status, refund.PaymentStatus, refund.Refunded));

        var page = await service.ListPaymentsAsync(new PaymentListFilter { Reference = reference });
        var listed = Assert.Single(page.Items);
        Assert.Equal((1, intent.PaymentId, PaymentStatuses.PartiallyRefunded, 2345L), (page.Total, listed.PaymentId, listed.Status, listed.Refunded));
        Assert.Equal(metadata, listed.Metadata);
        Assert.Null(listed.RedirectUrl); // paid: the checkout is closed

        var detail = await service.GetPaymentAsync(intent.PaymentId);
        Assert.Equal(("HPC usage receipt #17", "host-user-1"), (detail.Payment.Description, detail.Payment.OwnerId));
        var row = Assert.Single(detail.Refunds);
        Assert.Equal((refund.RefundId, 2345L, "goodwill"), (row.RefundId, row.Amount, row.Reason));
    }

    [Fact]
    public async Task A_repeated_reference_answers_the_first_payment_and_another_amount_is_a_typed_409()
    {
        var service = await server.ServiceAsync();
        var reference = NewReference();
        var first = await service.CreateIntentAsync(CreateIntentRequest.ForAmount(500, "EUR", "Order 5", reference));

        var again = await service.CreateIntentAsync(CreateIntentRequest.ForAmount(500, "EUR", "Order 5", reference));
        Assert.Equal((first.PaymentId, true), (again.PaymentId, again.Repeated));

        var conflict = await Assert.ThrowsAsync<PaymentsConflictException>(
            () => service.CreateIntentAsync(CreateIntentRequest.ForAmount(600, "EUR", "Order 5", reference)));
        Assert.Equal((PaymentsErrorCode.Conflict, 409), (conflict.Code, (int)conflict.StatusCode));
        Assert.Equal("urn:payments:problem:conflict", conflict.Problem.Type);
        Assert.NotNull(conflict.TraceId);
    }

    [Fact]
    public async Task Filters_by_status_provider_and_time_reach_the_service_escaped()
    {
        var service = await server.ServiceAsync();
        var reference = NewReference();
        var intent = await service.CreateIntentAsync(CreateIntentRequest.ForAmount(700, "EUR", "Filtered", reference));
        var around = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(2)); // a '+' in the query must arrive as '+'

        var hit = await service.ListPaymentsAsync(new PaymentListFilter
        {
            Reference = reference, Status = PaymentStatuses.Pending, Provider = "dummy",
            From = around.AddMinutes(-5), To = around.AddMinutes(5), Page = 1, PageSize = 5,
        });
        Assert.Equal(intent.PaymentId, Assert.Single(hit.Items).PaymentId);
        Assert.Equal((1, 5), (hit.Page, hit.PageSize));

        var miss = await service.ListPaymentsAsync(new PaymentListFilter { Reference = reference, To = around.AddMinutes(-5) });
        Assert.Empty(miss.Items);
        var wrongStatus = await service.ListPaymentsAsync(new PaymentListFilter { Reference = reference, Status = PaymentStatuses.Succeeded });
        Assert.Empty(wrongStatus.Items);
    }

    [Fact]
    public async Task A_paid_payment_has_a_receipt_as_json_html_and_pdf_bytes_and_an_unpaid_one_is_a_typed_409()
    {
        var service = await server.ServiceAsync();
        var intent = await service.CreateIntentAsync(CreateIntentRequest.ForAmount(1900, "EUR", "Receipted order", NewReference()));

        var unpaid = await Assert.ThrowsAsync<PaymentsConflictException>(() => service.GetReceiptAsync(intent.PaymentId));
        Assert.Equal(intent.PaymentId, unpaid.PaymentId);

        await server.PayAsync(intent.ProviderPaymentId);
        await service.VerifyAsync(intent.PaymentId);
        var receipt = await service.GetReceiptAsync(intent.PaymentId);
        Assert.StartsWith("R-", receipt.ReceiptNumber);
        Assert.Equal((intent.PaymentId, 1900L, "EUR", "19.00 EUR", "Receipted order"),
            (receipt.PaymentId, receipt.Amount, receipt.Currency, receipt.AmountDisplay, receipt.Description));

        Assert.Contains(receipt.ReceiptNumber, await service.GetReceiptHtmlAsync(receipt.ReceiptNumber));
        var pdf = await service.GetReceiptPdfAsync(intent.PaymentId);
        Assert.Equal($"receipt-{receipt.ReceiptNumber}.pdf", pdf.FileName);
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(pdf.Content));
    }

    [Fact]
    public async Task A_plan_bought_by_a_guest_costs_the_servers_price_whatever_amount_is_sent()
    {
        var intent = await server.Guest.CreateIntentAsync(new CreateIntentRequest { Plan = "basic", Amount = 1 });
        Assert.Equal((1900L, "EUR", "dummy"), (intent.Amount, intent.Currency, intent.Provider));
    }
}
