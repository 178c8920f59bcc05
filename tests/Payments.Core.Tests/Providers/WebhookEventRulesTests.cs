using Payments.Core.Providers;

namespace Payments.Core.Tests.Providers;

public sealed class WebhookEventRulesTests
{
    private static ProviderEvent Event(string id = "evt_1", string type = "payment.succeeded") => new(id, type, ProviderEventKind.Informational);

    [Theory]
    [InlineData("evt_1MqqbKLt4dXK03v5qaIbiNCC")]
    [InlineData("WH-58D329510W468432D-8HN650336L201105X")]
    [InlineData("évènement-✓-😀")]
    public void Real_ids_pass(string id) => Assert.Null(WebhookEventRules.Problem(Event(id)));

    [Theory]
    [InlineData("evt_\0")]
    [InlineData("evt_\u0001")]
    [InlineData("evt_\u007f")]
    [InlineData("")]
    public void Control_characters_broken_UTF16_and_empty_ids_are_refused(string id)
    {
        Assert.NotNull(WebhookEventRules.Problem(Event(id)));
        Assert.NotNull(WebhookEventRules.Problem(Event(type: id)));
        Assert.NotNull(WebhookEventRules.Problem(Event() with { ProviderPaymentId = id }));
    }

    [Fact]
    public void Broken_UTF16_is_refused()
    {
        // Built in code: attribute data would carry the lone surrogates through UTF-8 as U+FFFD.
        foreach (var id in new[] { "evt_" + (char)0xD800, "evt_" + (char)0xDC00 + "x", (char)0xDBFF + "" })
            Assert.NotNull(WebhookEventRules.Problem(Event(id)));
    }

    [Fact]
    public void Ids_longer_than_255_characters_are_refused()
    {
        Assert.Null(WebhookEventRules.Problem(Event(new string('a', 255))));
        Assert.NotNull(WebhookEventRules.Problem(Event(new string('a', 256))));
        Assert.NotNull(WebhookEventRules.Problem(Event(type: new string('a', 256))));
    }

    [Fact]
    public void A_failure_reason_may_span_lines_but_holds_no_NUL()
    {
        Assert.Null(WebhookEventRules.Problem(Event() with { FailureReason = "declined\nby the bank" }));
        Assert.NotNull(WebhookEventRules.Problem(Event() with { FailureReason = "declined\0" }));
    }
}
