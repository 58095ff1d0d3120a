// Each end-to-end class runs its own Azurite, simulators and hub; running them side by side would only fight over two cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
