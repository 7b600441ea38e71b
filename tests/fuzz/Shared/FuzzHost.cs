using SharpFuzz;

namespace Harness.Fuzz;

/// <summary>
/// Entry point shared by every fuzz project: `dotnet X.dll TARGET` runs TARGET under afl-fuzz (SharpFuzz's out-of-process
/// loop, so a crash is reported with its input), `dotnet X.dll TARGET --replay FILE|DIR…` runs TARGET once per input
/// in-process and exits 1 on the first crash with its stack trace (to reproduce a finding and to check seed corpora).
/// </summary>
public static class FuzzHost
{
    /// <summary>Larger inputs add nothing a parser's limits do not already cut, and slow afl down.</summary>
    public const int MaxInputBytes = 256 * 1024;

    public static int Main(string[] args, IReadOnlyDictionary<string, Action<byte[]>> targets)
    {
        if (args.Length == 0 || !targets.TryGetValue(args[0], out var target))
        {
            Console.Error.WriteLine($"usage: TARGET [--replay FILE|DIR...]; targets: {string.Join(", ", targets.Keys)}");
            return 2;
        }
        if (args.Length >= 2 && args[1] == "--replay") return Replay(target, args.Skip(2));
        Fuzzer.OutOfProcess.Run(stream => target(ReadInput(stream)));
        return 0;
    }

    private static int Replay(Action<byte[]> target, IEnumerable<string> paths)
    {
        var files = paths.SelectMany(p => Directory.Exists(p) ? Directory.GetFiles(p, "*", SearchOption.AllDirectories) : [p])
            .Where(f => !Path.GetFileName(f).Equals("README.txt", StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
        foreach (var file in files)
        {
            try
            {
                target(File.ReadAllBytes(file));
            }
            catch (Exception e)
            {
                Console.Error.WriteLine($"CRASH on {file}:\n{e}");
                return 1;
            }
        }
        Console.WriteLine($"replayed {files.Count} input(s) without a crash");
        return 0;
    }

    private static byte[] ReadInput(Stream stream)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while (buffer.Length < MaxInputBytes && (read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, MaxInputBytes - buffer.Length))) > 0)
            buffer.Write(chunk, 0, read);
        return buffer.ToArray();
    }

    /// <summary>
    /// Splits an input into the chunks a socket might deliver, steered by the input itself (first byte = chunk size),
    /// so the fuzzer also explores messages split at every boundary.
    /// </summary>
    public static IEnumerable<ReadOnlyMemory<byte>> Chunks(byte[] input)
    {
        if (input.Length == 0) yield break;
        var size = input[0] == 0 ? input.Length : input[0];
        for (var offset = 1; offset < input.Length; offset += size)
            yield return input.AsMemory(offset, Math.Min(size, input.Length - offset));
    }
}
