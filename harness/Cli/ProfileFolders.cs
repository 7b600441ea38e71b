using System.CommandLine;
using Harness.Browsers;
using Harness.Core;

namespace Harness.Cli;

/// <summary>
/// `--profiles DIR` as `ui` and `profile check` take it: folders of profile YAML; by default the browsers and the
/// system apps of ./scenarios (a default folder that does not exist is skipped, a named one is an error).
/// </summary>
public static class ProfileFolders
{
    public static readonly string[] Defaults = [Path.Combine("scenarios", "browsers"), Path.Combine("scenarios", "system")];

    public static Option<string[]> Option() => new("--profiles")
    {
        Description = "Folder of profile YAML files; repeat for several (default scenarios/browsers and scenarios/system).",
        AllowMultipleArgumentsPerToken = false,
    };

    public static IReadOnlyList<BrowserProfile> Load(string[]? folders)
    {
        var named = folders is { Length: > 0 };
        var profiles = new List<BrowserProfile>();
        foreach (var folder in named ? folders! : Defaults)
        {
            if (!named && !Directory.Exists(folder)) continue;
            foreach (var profile in BrowserProfileLoader.LoadDirectory(folder))
            {
                if (profiles.FirstOrDefault(p => p.Id == profile.Id) is { } earlier)
                    throw new BadInputException($"id \"{profile.Id}\" is already used by {earlier.SourceFile}; give each profile its own id", profile.SourceFile, field: "id");
                profiles.Add(profile);
            }
        }
        return profiles;
    }
}
