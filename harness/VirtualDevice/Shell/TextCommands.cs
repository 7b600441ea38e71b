using System.Text;
using System.Text.RegularExpressions;

namespace Harness.VirtualDevice.Shell;

/// <summary>echo, grep, head, tail, wc, true, false, test, sleep: the filters pipelines need.</summary>
internal static class TextCommands
{
    public static void Register(Dictionary<string, ShellCommand> c)
    {
        c["echo"] = Echo;
        c["true"] = (_, _) => Task.FromResult(0);
        c["false"] = (_, _) => Task.FromResult(1);
        c["set"] = (_, _) => Task.FromResult(0);
        c["grep"] = Grep;
        c["head"] = (i, ct) => HeadTail(i, ct, head: true);
        c["tail"] = (i, ct) => HeadTail(i, ct, head: false);
        c["wc"] = Wc;
        c["test"] = Test;
        c["["] = Test;
        c["sleep"] = Sleep;
    }

    private static async Task<int> Echo(ShellInvocation i, CancellationToken ct)
    {
        var args = i.Args.Skip(1).ToList();
        var newline = true;
        if (args.Count > 0 && args[0] == "-n") { newline = false; args.RemoveAt(0); }
        await i.OutAsync(string.Join(' ', args) + (newline ? "\n" : ""), ct).ConfigureAwait(false);
        return 0;
    }

    internal static async Task<List<string>> ReadInputLinesAsync(ShellInvocation i, IReadOnlyList<string> files, CancellationToken ct)
    {
        string text;
        if (files.Count == 0) text = Encoding.UTF8.GetString(await i.ReadAllStdinAsync(ct).ConfigureAwait(false));
        else
        {
            var sb = new StringBuilder();
            foreach (var f in files) sb.Append(Encoding.UTF8.GetString(i.Android.FileSystem.ReadFile(f, i.Session.IsRoot)));
            text = sb.ToString();
        }
        var lines = text.Split('\n').ToList();
        if (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        return lines;
    }

    private static async Task<int> Grep(ShellInvocation i, CancellationToken ct)
    {
        bool invert = false, ignoreCase = false, count = false, quiet = false, fixedString = false, onlyMatching = false;
        string? pattern = null;
        var files = new List<string>();
        for (var a = 1; a < i.Args.Count; a++)
        {
            var arg = i.Args[a];
            if (arg == "-e" && a + 1 < i.Args.Count) { pattern = i.Args[++a]; continue; }
            if (arg.Length > 1 && arg[0] == '-' && pattern == null)
            {
                foreach (var f in arg[1..])
                {
                    switch (f)
                    {
                        case 'v': invert = true; break;
                        case 'i': ignoreCase = true; break;
                        case 'c': count = true; break;
                        case 'q': quiet = true; break;
                        case 'F': fixedString = true; break;
                        case 'o': onlyMatching = true; break;
                        case 'E': break;
                        default: return await i.FailAsync($"Unknown option '{f}'", ct, 2).ConfigureAwait(false);
                    }
                }
                continue;
            }
            if (pattern == null) pattern = arg; else files.Add(arg);
        }
        if (pattern == null) return await i.FailAsync("Need 1 argument", ct, 2).ConfigureAwait(false);
        List<string> lines;
        try { lines = await ReadInputLinesAsync(i, files, ct).ConfigureAwait(false); }
        catch (Android.VirtualFileSystemException e) { return await i.FailAsync($"{files[0]}: {e.Message}", ct, 2).ConfigureAwait(false); }
        var regex = new Regex(fixedString ? Regex.Escape(pattern) : pattern, ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);
        var matched = 0;
        var output = new StringBuilder();
        foreach (var line in lines)
        {
            var m = regex.Match(line);
            if (m.Success == invert) continue;
            matched++;
            if (!count && !quiet) output.Append(onlyMatching && !invert ? m.Value : line).Append('\n');
        }
        if (count) output.Append(matched).Append('\n');
        if (!quiet) await i.OutAsync(output.ToString(), ct).ConfigureAwait(false);
        return matched > 0 ? 0 : 1;
    }

    private static async Task<int> HeadTail(ShellInvocation i, CancellationToken ct, bool head)
    {
        var n = 10;
        var files = new List<string>();
        for (var a = 1; a < i.Args.Count; a++)
        {
            var arg = i.Args[a];
            if (arg == "-n" && a + 1 < i.Args.Count) n = int.Parse(i.Args[++a]);
            else if (arg.StartsWith("-n")) n = int.Parse(arg[2..]);
            else if (arg.Length > 1 && arg[0] == '-' && int.TryParse(arg[1..], out var k)) n = k;
            else files.Add(arg);
        }
        var lines = await ReadInputLinesAsync(i, files, ct).ConfigureAwait(false);
        var selected = head ? lines.Take(n) : lines.Skip(Math.Max(0, lines.Count - n));
        await i.OutAsync(string.Concat(selected.Select(l => l + "\n")), ct).ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> Wc(ShellInvocation i, CancellationToken ct)
    {
        var files = i.Args.Skip(1).Where(a => !a.StartsWith('-')).ToList();
        var lines = await ReadInputLinesAsync(i, files, ct).ConfigureAwait(false);
        if (i.Args.Contains("-l")) await i.OutLineAsync(lines.Count.ToString(), ct).ConfigureAwait(false);
        else await i.OutLineAsync($"{lines.Count,7} {lines.Sum(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length),7} {lines.Sum(l => Encoding.UTF8.GetByteCount(l) + 1),7}", ct).ConfigureAwait(false);
        return 0;
    }

    private static Task<int> Test(ShellInvocation i, CancellationToken ct)
    {
        var args = i.Args.Skip(1).ToList();
        if (i.Name == "[" && args.Count > 0 && args[^1] == "]") args.RemoveAt(args.Count - 1);
        var negate = args.Count > 0 && args[0] == "!";
        if (negate) args.RemoveAt(0);
        var fs = i.Android.FileSystem;
        var result = args switch
        {
            [] => false,
            ["-d", var p] => fs.IsDirectory(p),
            ["-f", var p] => fs.IsFile(p),
            ["-e", var p] => fs.Exists(p),
            ["-n", var s] => s.Length > 0,
            ["-z", var s] => s.Length == 0,
            [var a, "=", var b] => a == b,
            [var a, "!=", var b] => a != b,
            [var a, "-eq", var b] => long.TryParse(a, out var x) && long.TryParse(b, out var y) && x == y,
            [var s] => s.Length > 0,
            _ => false,
        };
        return Task.FromResult(result != negate ? 0 : 1);
    }

    private static async Task<int> Sleep(ShellInvocation i, CancellationToken ct)
    {
        if (i.Args.Count < 2 || !double.TryParse(i.Args[1], System.Globalization.CultureInfo.InvariantCulture, out var seconds)) return 1;
        await Task.Delay(TimeSpan.FromSeconds(seconds), ct).ConfigureAwait(false);
        return 0;
    }
}
