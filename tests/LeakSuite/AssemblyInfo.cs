// Phones run in parallel (one fixture per phone); a fixture's cases run one at a time on its phone.
// The worker count must cover the rack so a slow phone never waits for a worker another phone holds;
// run.ps1 raises it further with NUnit.NumberOfTestWorkers when devices.json lists more phones.
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(16)]
