package io.leakdetector.app.api;

import io.leakdetector.app.web.ApiException;
import io.leakdetector.core.ingest.EntityKind;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * JSON ingest: create or update records of every data file, one object or an array, idempotent on each record's
 * id. Fields are the columns of docs/data-format.md; a request is validated whole and stored whole or not at all.
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "ingest", description = "create or update billing records (role analyst)")
class IngestController {
    static final int MAX_BULK = 10_000;
    private final IngestService ingest;

    IngestController(IngestService ingest) {
        this.ingest = ingest;
    }

    @PostMapping(path = "/entities/{entity}", consumes = "application/json")
    @Operation(summary = "Create or update one record (JSON object) or many (JSON array, at most 10,000)",
            description = "entity is a data file name without .csv: customers, prices, subscriptions, subscription_changes, "
                    + "invoices, invoice_lines, payment_methods, payments, refunds, credit_notes, disputes, usage, app_accounts, "
                    + "change_events. Answers 201 when something was created, 200 otherwise.")
    ResponseEntity<IngestResult> upsert(@Parameter(example = "invoices") @PathVariable String entity,
                                        @RequestBody JsonNode body) {
        EntityKind kind = JsonRecords.kind(entity);
        List<RecordInput> inputs = JsonRecords.read(kind, body, "api:" + UUID.randomUUID(), MAX_BULK);
        return respond(ingest.ingest("api", inputs, body.isArray()));
    }

    @PutMapping(path = "/entities/{entity}/{id}", consumes = "application/json")
    @Operation(summary = "Create or update the record with this id (the body's id field may be left out)")
    ResponseEntity<IngestResult> put(@PathVariable String entity, @PathVariable String id, @RequestBody JsonNode body) {
        EntityKind kind = JsonRecords.kind(entity);
        var fields = JsonRecords.fields(body, "");
        String idColumn = kind.schema().columns().get(0).name();
        String given = fields.get(idColumn);
        if (given != null && !given.equals(id)) {
            throw ApiException.badField(idColumn, idColumn + " '" + given + "' differs from the id in the path '" + id + "'");
        }
        fields.put(idColumn, id);
        return respond(ingest.ingest("api", List.of(new RecordInput(kind, fields, "api:" + UUID.randomUUID())), false));
    }

    @PostMapping(path = "/changes", consumes = "application/json")
    @Operation(summary = "Record change events (deploys, price changes, config flags): one object or an array",
            description = "Fields: event_id, occurred_at, type (deploy|price_change|config_flag), service, version, description.")
    ResponseEntity<IngestResult> changes(@RequestBody JsonNode body) {
        List<RecordInput> inputs = JsonRecords.read(EntityKind.CHANGE_EVENTS, body, "api:" + UUID.randomUUID(), MAX_BULK);
        return respond(ingest.ingest("api", inputs, body.isArray()));
    }

    private static ResponseEntity<IngestResult> respond(IngestResult r) {
        return ResponseEntity.status(r.created() > 0 ? HttpStatus.CREATED : HttpStatus.OK).body(r);
    }
}
