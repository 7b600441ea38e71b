namespace Harness.Evidence.Allure;

/// <summary>Allure 2 trends: the previous report's history/ folder must be in the results before the next `allure generate`.</summary>
public static class AllureHistory
{
    /// <summary>Copies allure-report/history/* into allure-results/history/; returns how many files were carried (0 on a first run).</summary>
    public static int CarryOver(string reportDirectory, string resultsDirectory)
    {
        var source = Path.Combine(reportDirectory, "history");
        if (!Directory.Exists(source)) return 0;
        var target = Path.Combine(resultsDirectory, "history");
        Directory.CreateDirectory(target);
        var count = 0;
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
            count++;
        }
        return count;
    }
}
