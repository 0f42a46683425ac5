// The cluster fixtures share two cores with the silos they host: one collection at a time keeps the
// timing assertions (spacing, pauses) about the system, not about CPU contention between tests.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
