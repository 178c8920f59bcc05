using System.Reflection;
using Payments.Server.Features.Outbox;

namespace Payments.Client.Tests;

/// <summary>
/// The client is a package of its own and cannot reference the server, so its event type names are a copy
/// of <see cref="HostEvents"/>: this keeps the copy exact, both ways.
/// </summary>
public class WebhookEventTypesTests
{
    [Fact]
    public void The_clients_event_types_are_exactly_the_ones_the_service_sends()
    {
        var client = typeof(WebhookEventTypes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name != nameof(WebhookEventTypes.All))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Order().ToList();

        Assert.Equal(HostEvents.All.Order().ToList(), client);
        Assert.Equal("*", WebhookEventTypes.All);
    }
}
