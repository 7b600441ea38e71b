using Harness.Fuzz;

return FuzzHost.Main(args, new Dictionary<string, Action<byte[]>>
{
    ["browser-profile-yaml"] = ConfigTargets.BrowserProfile,
    ["scenario-yaml"] = ConfigTargets.Scenario,
    ["devices-json"] = ConfigTargets.DevicesJson,
});
