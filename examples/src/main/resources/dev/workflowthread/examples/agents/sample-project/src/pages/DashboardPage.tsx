import { useEffect, useState } from "react";
import { getJson } from "../api/client";

interface Summary {
  openPullRequests: number;
  onCall: string;
  lastDeployment: string;
}

export function DashboardPage() {
  const [summary, setSummary] = useState<Summary | null>(null);
  useEffect(() => {
    getJson<Summary>("/api/summary").then(setSummary);
  }, []);
  if (!summary) {
    return <p>Loading...</p>;
  }
  return (
    <section>
      <h2>Today</h2>
      <p>{summary.openPullRequests} open pull requests</p>
      <p>On call: {summary.onCall}</p>
      <p>Last deployment: {summary.lastDeployment}</p>
    </section>
  );
}
