using System.Globalization;
using Harness.Bench.Soak;

// dotnet bench/Soak/bin/Release/net10.0/Soak.dll [--seconds 600] [--rate 100] [--body-bytes 2048] [--harness PATH] [--max-growth-mib 48]
// Exit 0 when no flow was lost and memory stayed flat, 1 otherwise, 2 on bad arguments.
var options = new SoakOptions();
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    try
    {
        options = args[i] switch
        {
            "--seconds" => options with { Duration = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)) },
            "--rate" => options with { RequestsPerSecond = int.Parse(Next(), CultureInfo.InvariantCulture) },
            "--body-bytes" => options with { BodyBytes = int.Parse(Next(), CultureInfo.InvariantCulture) },
            "--harness" => options with { HarnessDll = Next() },
            "--max-growth-mib" => options with { MaxGrowthMiB = double.Parse(Next(), CultureInfo.InvariantCulture) },
            var other => throw new ArgumentException($"unknown option {other}"),
        };
    }
    catch (Exception e) when (e is ArgumentException or FormatException)
    {
        Console.Error.WriteLine($"soak: {e.Message}");
        return 2;
    }
}
var result = await new SoakRun(options, Console.Out).RunAsync(CancellationToken.None);
Console.WriteLine(result);
return result.Passed ? 0 : 1;
