using System.Net;
using FsCheck.Fluent;
using Payments.Server.Tests.Support;
using Model = global::Payments.Core.Tests.Credits;

namespace Payments.Server.Tests.Credits;

/// <summary>
/// The ledger property against the real service and database: random sequences of purchases,
/// payments, (partial) refunds, referrals and spends go through the HTTP API, and afterwards the
/// database's ledger sums to zero per transaction and in total, every balance equals the pure
/// model's (<see cref="Model.LedgerModel"/>, the same rules the Core properties check), and every
/// spend was allowed or refused exactly as the model says, so no spend ever took a balance below zero.
/// Fewer runs than the in-memory properties (each step is a few HTTP requests); a failure prints the
/// sequence that broke it.
/// </summary>
public abstract class CreditLedgerDbProperties<TApp>(TApp fixture) : CreditTestsBase<TApp>(fixture) where TApp : AppFixture
{
    private static readonly string[] Names = ["u0", "u1", "u2"];

    protected virtual int Runs => 10;

    [Fact]
    public async Task Random_sequences_leave_the_database_ledger_balanced_and_in_step_with_the_model()
    {
        _ = App; // skips here, outside the catch below, when the database is not available
        foreach (var ops in Model.CreditOps.AnySequence(Names, 24).Sample(Runs))
        {
            var run = Guid.NewGuid().ToString("N")[..8];
            try
            {
                await RunAsync(ops, name => $"{name}-{run}");
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"Failed for the sequence (users *-{run}):\n  " + string.Join("\n  ", ops) + "\n" + e.Message);
            }
        }
        await AssertLedgerBalanced();
    }

    private async Task RunAsync(IReadOnlyList<Model.CreditOp> ops, Func<string, string> user)
    {
        var model = new Model.LedgerModel();
        var payments = new List<(string PaymentId, string DmId)>(); // in the model's order
        foreach (var op in ops)
        {
            var paid = model.Payments.Select(p => (p.Succeeded, p.Refunded)).ToList();
            var referred = model.ReferredBy.Count;
            model.Apply(op);
            switch (op)
            {
                case Model.CreditOp.Buy buy:
                    var (paymentId, dmId, _) = await StartPurchase(user(buy.User), credits: buy.Credits);
                    payments.Add((paymentId, dmId));
                    break;
                case Model.CreditOp.Succeed:
                    for (var i = 0; i < paid.Count; i++)
                        if (!paid[i].Succeeded && model.Payments[i].Succeeded) await Pay(payments[i].DmId);
                    break;
                case Model.CreditOp.Refund:
                    for (var i = 0; i < paid.Count; i++)
                        if (model.Payments[i].Refunded > paid[i].Refunded)
                            Assert.Equal(HttpStatusCode.OK, (await Refund(payments[i].PaymentId, model.Payments[i].Refunded - paid[i].Refunded)).StatusCode);
                    break;
                case Model.CreditOp.Spend spend:
                    var response = await Spend(user(spend.User), spend.Amount, Guid.NewGuid().ToString("N"));
                    Assert.Equal(model.Spends[^1].Allowed ? HttpStatusCode.OK : HttpStatusCode.Conflict, response.StatusCode);
                    break;
                case Model.CreditOp.Refer refer when model.ReferredBy.Count > referred:
                    Assert.Equal(HttpStatusCode.OK, (await SetReferral(user(refer.User), await ReferralCode(user(refer.Referrer)))).StatusCode);
                    break;
            }
        }
        foreach (var name in Names)
            Assert.Equal(model.Balance(name), await Balance(user(name)));
    }
}

public sealed class CreditLedgerDbProperties_Sqlite(SqliteAuthApp app) : CreditLedgerDbProperties<SqliteAuthApp>(app)
{
    protected override int Runs => 15;
}

public sealed class CreditLedgerDbProperties_Postgres(PostgresAuthApp app) : CreditLedgerDbProperties<PostgresAuthApp>(app);
