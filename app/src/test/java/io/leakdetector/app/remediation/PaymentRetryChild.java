package io.leakdetector.app.remediation;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.leakdetector.app.remediation.channel.StripePayments;
import io.leakdetector.app.store.Store;
import io.leakdetector.app.store.StoreSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The process the kill test kills: a bare JVM that runs the remediation action job (db-scheduler + the Stripe
 * payment retry) against the given store and Stripe base URL until it is killed.
 */
public final class PaymentRetryChild {
    private PaymentRetryChild() {}

    /** A running scheduler of remediation actions with only the payment retry wired, as the server wires it. */
    static Scheduler scheduler(Store store, String stripeBase, Duration heartbeat) {
        Jobs jobs = Jobs.over(store.dataSource());
        StripePayments stripe = new StripePayments("sk_test_kill", stripeBase, 20_000, new ActionRepository(store.client()), store.tx());
        Remediation remediation = new Remediation(store.client(), store.tx(), jobs, Map.of(ActionType.RETRY_PAYMENT, stripe), null);
        OneTimeTask<Void> task = Tasks.oneTime(Jobs.ACTION_TASK)
                .onFailure(new FailureHandler.MaxRetriesFailureHandler<Void>(5, new FailureHandler.ExponentialBackoffFailureHandler<>(Duration.ofMillis(500), 2.0),
                        (complete, ops) -> remediation.gaveUp(complete.getExecution().taskInstance.getId(), "gave up")))
                .execute((instance, context) -> remediation.run(instance.getId()));
        Scheduler s = Scheduler.create(store.dataSource(), List.of(task)).pollingInterval(Duration.ofMillis(200))
                .heartbeatInterval(heartbeat).missedHeartbeatsLimit(4).threads(2).build();
        s.start();
        return s;
    }

    /** args: jdbc url, user, password, Stripe base URL. */
    public static void main(String[] args) throws InterruptedException {
        Store store = Store.open(new StoreSettings(args[0], args[1], args.length > 2 && args[2] != null ? args[2] : ""));
        scheduler(store, args[3], Duration.ofMillis(500));
        System.err.println("child scheduler running");
        Thread.sleep(Long.MAX_VALUE);
    }
}
