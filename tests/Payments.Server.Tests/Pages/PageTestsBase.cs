using System.Net;
using Microsoft.EntityFrameworkCore;
using Payments.Server.Tests.Support;
using PaymentRow = Payments.Server.Data.Entities.Payment;

namespace Payments.Server.Tests.Pages;

/// <summary>Helpers for the HTML pages over HTTP: payments in a given state, and a browser-like admin session.</summary>
public abstract class PageTestsBase<TApp>(TApp fixture) : IClassFixture<TApp> where TApp : AppFixture
{
    protected PaymentsApp App => fixture.App;

    protected async Task<(string PaymentId, string DmId)> PendingPayment(string plan = "basic")
    {
        using var client = App.Client();
        var intent = await (await client.PostJson("/api/v1/payment/create-intent", new { plan })).Body();
        return (intent.Str("payment_id"), intent.Str("provider_payment_id"));
    }

    protected async Task<string> PaidPayment(string plan = "basic")
    {
        var (paymentId, dmId) = await PendingPayment(plan);
        using var client = App.Client();
        (await client.PayDummy(dmId)).Dispose();
        return paymentId;
    }

    /// <summary>A client holding an admin session cookie, signed in through the form like a browser.</summary>
    protected async Task<HttpClient> Admin(string credential = Credentials.AdminKey)
    {
        var client = App.Client();
        using var signIn = await client.SubmitForm("/admin/sign-in", "/admin/sign-in", ("credential", credential));
        Assert.Equal(HttpStatusCode.SeeOther, signIn.StatusCode);
        return client;
    }

    protected async Task<PaymentRow> Load(string paymentId)
    {
        await using var db = App.Db();
        return await db.Context.Payments.AsNoTracking().SingleAsync(p => p.Id == paymentId);
    }

    protected async Task<int> RefundRows(string paymentId)
    {
        await using var db = App.Db();
        return await db.Context.Refunds.CountAsync(r => r.PaymentId == paymentId);
    }
}
