package org.poisonlab.spark;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.StageInfo;

/** Per finished stage: where in the job it was made, its tasks, time and shuffle bytes. */
final class StageReport extends SparkListener {
  private record Row(
      int id, String name, int tasks, long millis, long shuffleWrite, long shuffleRead) {}

  private final List<Row> rows = new ArrayList<>();

  @Override
  public synchronized void onStageCompleted(SparkListenerStageCompleted done) {
    StageInfo s = done.stageInfo();
    TaskMetrics m = s.taskMetrics();
    long millis =
        s.submissionTime().isDefined() && s.completionTime().isDefined()
            ? (Long) s.completionTime().get() - (Long) s.submissionTime().get()
            : -1;
    rows.add(
        new Row(
            s.stageId(),
            s.name(),
            s.numTasks(),
            millis,
            m == null ? 0 : m.shuffleWriteMetrics().bytesWritten(),
            m == null ? 0 : m.shuffleReadMetrics().totalBytesRead()));
  }

  synchronized void print(PrintStream out) {
    long write = 0;
    out.println("stage\ttasks\tseconds\tshuffle_write_bytes\tshuffle_read_bytes\tmade at");
    for (Row r : rows) {
      write += r.shuffleWrite;
      out.printf(
          Locale.ROOT,
          "%d\t%d\t%.2f\t%d\t%d\t%s%n",
          r.id,
          r.tasks,
          r.millis / 1000.0,
          r.shuffleWrite,
          r.shuffleRead,
          r.name);
    }
    out.printf(Locale.ROOT, "shuffle written in all: %d bytes%n", write);
  }
}
