using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;

namespace Payments.Server.Tests.Fuzz;

/// <summary>
/// How much fuzzing a run does. The normal test command runs a bounded sample (<see cref="DefaultIterations"/>
/// cases per property, a few seconds each); <c>FUZZ_ITERATIONS=20000 ./scripts/test.sh --filter Fuzz</c>
/// is the long form. <c>FUZZ_SEED</c> replays a run: every failure prints the seed it ran with.
/// </summary>
public static class FuzzRun
{
    public const int DefaultIterations = 120;

    public static int Iterations { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("FUZZ_ITERATIONS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : DefaultIterations;

    /// <summary>The seed of this run: FUZZ_SEED when given, else a fresh one.</summary>
    public static ulong Seed { get; } =
        ulong.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), NumberStyles.None, CultureInfo.InvariantCulture, out var seed)
            ? seed
            : (ulong)Random.Shared.NextInt64(1, long.MaxValue);

    /// <summary>
    /// Checks <paramref name="check"/> (which throws on a violation) for <paramref name="iterations"/>
    /// generated cases. FsCheck reports the first failing case; the message also names FUZZ_SEED to replay it.
    /// </summary>
    public static void ForAll<T>(Gen<T> cases, Action<T> check, int? iterations = null)
    {
        var config = Config.QuickThrowOnFailure
            .WithMaxTest(iterations ?? Iterations)
            .WithQuietOnSuccess(true)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(Seed, 0x9E3779B97F4A7C15UL), FSharpOption<int>.None)));
        try
        {
            Prop.ForAll(cases.ToArbitrary(), check).Check(config);
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"Fuzzing failed (replay with FUZZ_SEED={Seed}):\n{e.Message}");
        }
    }
}
