# Sourced by the perf scripts: whether the pipeline is still working, from the ops API of the hub on port 7071.
task_hub_busy() { # -> "0" when no ProcessFeed or ConsolidatePeriod run is pending or running, else "1"; "?" when the hub did not answer
  # Cheap at any backlog: a status-filtered query of the task hub, stopped at the first instance found. A data set is
  # announced by its consolidation's last step, so an idle task hub means every version is built and announced.
  node -e '
    const hub = "http://localhost:7071", headers = { "x-api-key": "local-ops-key" };
    (async () => {
      let token = null;
      do {
        const query = new URLSearchParams({ status: "Pending,Running,ContinuedAsNew,Suspended", name: "ProcessFeed,ConsolidatePeriod", pageSize: "100" });
        if (token) query.set("continuationToken", token);
        const answer = await fetch(`${hub}/api/ops/instances?${query}`, { headers });
        if (!answer.ok) { console.log("?"); return; }
        const page = await answer.json();
        if (page.instances.length > 0) { console.log("1"); return; }
        token = page.continuationToken;
      } while (token);
      console.log("0");
    })().catch(() => console.log("?"));'
}

failed_runs() { # -> how many ProcessFeed or ConsolidatePeriod runs failed (they wait for ops)
  node -e '
    const hub = "http://localhost:7071", headers = { "x-api-key": "local-ops-key" };
    (async () => {
      let token = null, count = 0;
      do {
        const query = new URLSearchParams({ status: "Failed", name: "ProcessFeed,ConsolidatePeriod", pageSize: "1000" });
        if (token) query.set("continuationToken", token);
        const page = await fetch(`${hub}/api/ops/instances?${query}`, { headers }).then(r => r.json());
        count += page.instances.length;
        token = page.continuationToken;
      } while (token);
      console.log(count);
    })().catch(() => console.log(0));'
}
