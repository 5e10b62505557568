package io.leakdetector.app.remediation;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/**
 * The durable job queue (db-scheduler's {@code scheduled_tasks}, in the store's own database). A job carries no data:
 * its instance id is the action or delivery id, and everything else is read from the tables when it runs, so the
 * server, the command line and a test all schedule the same rows whatever serializer they use.
 */
public final class Jobs {
    /** One remediation action: instance id = action id. */
    public static final String ACTION_TASK = "remediation-action";
    /** One outbound webhook delivery: instance id = delivery id. */
    public static final String DELIVERY_TASK = "webhook-delivery";

    private final SchedulerClient client;

    public Jobs(SchedulerClient client) {
        this.client = client;
    }

    /** A queue over a data source with no scheduler running here (the command line): it only writes jobs. */
    public static Jobs over(DataSource dataSource) {
        List<com.github.kagkarlsson.scheduler.task.Task<?>> names = List.of(placeholder(ACTION_TASK), placeholder(DELIVERY_TASK));
        return new Jobs(SchedulerClient.Builder.create(dataSource, names).build());
    }

    private static OneTimeTask<Void> placeholder(String name) {
        return Tasks.oneTime(name).execute((instance, context) -> {
            throw new IllegalStateException(name + " jobs run in the server");
        });
    }

    /** Schedules the action's job unless one already exists (idempotent). */
    public void scheduleAction(String actionId, Instant at) {
        client.scheduleIfNotExists(new TaskInstance<Void>(ACTION_TASK, actionId), at);
    }

    public void scheduleDelivery(String deliveryId, Instant at) {
        client.scheduleIfNotExists(new TaskInstance<Void>(DELIVERY_TASK, deliveryId), at);
    }

    /** Removes the action's job if it is still waiting; a job that is running finishes and sees the cancelled row. */
    public void cancelAction(String actionId) {
        TaskInstanceId id = TaskInstanceId.of(ACTION_TASK, actionId);
        if (client.getScheduledExecution(id).filter(e -> !e.isPicked()).isPresent()) {
            try {
                client.cancel(id);
            } catch (RuntimeException raced) {
                // picked up or finished meanwhile: the runner checks the status before doing anything
            }
        }
    }
}
