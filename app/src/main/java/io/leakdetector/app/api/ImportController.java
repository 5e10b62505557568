package io.leakdetector.app.api;

import io.leakdetector.app.ingest.RejectedRowsCsv;
import io.leakdetector.app.web.ApiException;
import io.leakdetector.core.ingest.EntityKind;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** CSV upload as an asynchronous import job: submit, follow its progress, download its rejected rows. */
@RestController
@Tag(name = "ingest")
public class ImportController {
    private final ImportJobs jobs;

    ImportController(ImportJobs jobs) {
        this.jobs = jobs;
    }

    record Accepted(ImportJobs.Job job, java.util.Map<String, Object> links) {}

    @PostMapping(path = "/api/v1/imports", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @Operation(summary = "Upload one CSV data file as a background import (202); entity defaults to the file's name",
            description = "Columns as in docs/data-format.md (Stripe export names accepted). A header without a required "
                    + "column is a 400 at once; rows are validated by the import, rejected rows kept for download.")
    ResponseEntity<Accepted> upload(@RequestParam("file") MultipartFile file,
                                    @RequestParam(name = "entity", required = false) String entity) throws IOException {
        if (file == null || file.isEmpty()) throw ApiException.badField("file", "file is empty");
        String name = file.getOriginalFilename() == null ? "upload.csv" : file.getOriginalFilename();
        String kindName = entity != null ? entity : name.replaceAll("(?i)\\.csv$", "").replaceAll(".*[/\\\\]", "");
        EntityKind kind;
        try {
            kind = JsonRecords.kind(kindName);
        } catch (ApiException e) {
            throw ApiException.badField("entity", "entity is required (or name the file after it): " + e.getMessage());
        }
        ImportJobs.Job job = jobs.submit(kind, name, file.getInputStream());
        return ResponseEntity.status(HttpStatus.ACCEPTED).header("Location", "/api/v1/imports/" + job.id())
                .body(new Accepted(job, jobs.links(job)));
    }

    @GetMapping("/api/v1/imports/{id}")
    @Operation(summary = "An import job: status (queued, running, completed, failed), counts so far, import id")
    Accepted get(@PathVariable String id) {
        ImportJobs.Job job = jobs.get(id).orElseThrow(() -> ApiException.notFound("import job", id));
        return new Accepted(job, jobs.links(job));
    }

    @GetMapping(path = "/api/v1/imports/{id}/rejected.csv", produces = "text/csv")
    @Operation(summary = "The job's rejected rows as CSV (file, line, column, reason, raw row)")
    public ResponseEntity<StreamingResponseBody> rejected(@PathVariable String id) {
        ImportJobs.Job job = jobs.get(id).orElseThrow(() -> ApiException.notFound("import job", id));
        if (job.import_id() == null) {
            throw new ApiException(HttpStatus.CONFLICT, "not-started", null, "import " + id + " has not started yet");
        }
        StreamingResponseBody body = out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            RejectedRowsCsv.export(jobs.store(), job.import_id(), w);
            w.flush();
        };
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/csv; charset=utf-8"))
                .header("Content-Disposition", "attachment; filename=\"" + id + "-rejected.csv\"").body(body);
    }
}
