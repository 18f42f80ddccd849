// The soak's result in words, for a person reading a terminal or a CI log.

/** A few lines: the verdict, the figures that matter, and every failure. */
export function summarise(result) {
  const lines = [
    `civtag soak: ${result.passed ? 'PASSED' : 'FAILED'}${result.seconds === undefined ? '' : ` after ${result.seconds} s`}`,
  ];
  if (result.ops !== undefined) {
    const {
      ops,
      server,
      clients,
      proxy,
      externalEdits,
      imports,
      dataset,
      captions,
      resources,
      history,
    } = result;
    lines.push(
      `  ops: ${ops.sent} sent, ${ops.acked} acknowledged (${ops.ackedAsDuplicate} answered over HTTP as resends), ${ops.refused} refused ${JSON.stringify(ops.refusedBy)}, ${ops.pending} unanswered; ${ops.opsPerSecond}/s`,
      `  resends at the end: ${ops.resentAtEnd} newest acknowledged ops sent again with their keys, ${ops.resendFailures} not answered as the first time`,
      `  history: ${history.changesSeen} changes seen; ${ops.confirmedInHistory} acks confirmed at their revision, ${ops.ackedWithoutNews} without news, ${ops.unobservedInGaps} in ${history.gaps.length} gaps`,
      `  server: ${server.kills} SIGKILLs, ${server.restarts} restarts, ${server.serverErrors} answers of 5xx`,
      `  clients: ${clients.socket} socket (${clients.proxied} behind the proxy), ${clients.http} HTTP; ${clients.reconnects} reconnects, ${clients.reads} reads`,
      `  proxy: ${proxy.connections} connections, ${proxy.cuts} cuts, ${proxy.halfCuts} half cuts, ${proxy.stalls} stalls, ${proxy.delays} delays, ${proxy.lateConnects} late connects`,
      `  external edits: ${externalEdits.made} made, ${externalEdits.takenIn} taken in, ${externalEdits.lost} lost`,
      `  imports: ${imports.started} started, ${imports.done} done, ${imports.imagesOffered} images; dataset ${dataset.imagesAtStart} → ${dataset.imagesAtEnd} images, revision ${dataset.revisionAtEnd}`,
      `  captions: ${captions.canonical + captions.notCanonical} files equal the state (${captions.notCanonical} not in canonical form), ${captions.problems} problems`,
      `  resources: ${resources.lifetimesFlat} of ${resources.lifetimesJudged} judged lifetimes flat (last third vs second third)`,
    );
    for (const lifetime of resources.lifetimes) {
      lines.push(
        `    life ${lifetime.lifetime} (${lifetime.seconds} s, ${lifetime.samples} samples${lifetime.judged ? '' : ', too short to judge'}): RSS ${lifetime.rssMiB.second} → ${lifetime.rssMiB.last} MiB, fds ${lifetime.fds.second} → ${lifetime.fds.last}, loop delay p99 ${lifetime.eventLoopP99Ms.second} → ${lifetime.eventLoopP99Ms.last} ms (max ${lifetime.eventLoopMaxMs} at ${lifetime.eventLoopMaxAtS} s; ${lifetime.startupEventLoopMaxMs} while starting), health p50/p99 ${lifetime.healthMs.p50}/${lifetime.healthMs.p99} ms`,
      );
    }
  }
  if (result.failures.length > 0) {
    lines.push(`  ${result.failures.length} failures:`);
    for (const failure of result.failures) lines.push(`    - ${failure}`);
  }
  if (result.workDir !== undefined) lines.push(`  work folder kept: ${result.workDir}`);
  return lines.join('\n');
}
