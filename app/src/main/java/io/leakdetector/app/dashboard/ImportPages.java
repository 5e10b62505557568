package io.leakdetector.app.dashboard;

import io.leakdetector.app.api.ImportController;
import io.leakdetector.app.api.ImportJobs;
import io.leakdetector.app.web.ApiException;
import io.leakdetector.core.ingest.EntityKind;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * CSV upload from the browser: the same background job as {@code POST /api/v1/imports} ({@link ImportJobs}), its
 * progress polled by htmx every second until it completes, its counts, and its rejected rows as CSV.
 */
@Controller
class ImportPages {
    private final ImportJobs jobs;
    private final ImportController api;
    /** Data rows per job as counted at upload (lines after the header): the progress bar's 100 %. */
    private final Map<String, Long> expected = new ConcurrentHashMap<>();

    ImportPages(ImportJobs jobs, ImportController api) {
        this.jobs = jobs;
        this.api = api;
    }

    @GetMapping("/imports")
    String imports(Model model) {
        model.addAttribute("entities", Arrays.stream(EntityKind.values()).map(k -> k.fileName().replace(".csv", "")).toList());
        model.addAttribute("jobs", jobs.recent(20));
        return "imports";
    }

    @PostMapping("/imports")
    String upload(@RequestParam("file") MultipartFile file, @RequestParam(name = "entity", required = false) String entity,
                  RedirectAttributes flash) throws IOException {
        try {
            if (file == null || file.isEmpty()) throw ApiException.badField("file", "choose a CSV file to upload");
            String name = file.getOriginalFilename() == null || file.getOriginalFilename().isBlank() ? "upload.csv" : file.getOriginalFilename();
            String kindName = entity != null && !entity.isBlank() ? entity : name.replaceAll("(?i)\\.csv$", "").replaceAll(".*[/\\\\]", "");
            EntityKind kind = kindOf(kindName);
            long rows;
            try (InputStream in = file.getInputStream()) {
                rows = dataLines(in);
            }
            ImportJobs.Job job;
            try (InputStream in = file.getInputStream()) {
                job = jobs.submit(kind, name, in);
            }
            expected.put(job.id(), rows);
            return "redirect:/imports/" + job.id();
        } catch (ApiException e) {
            flash.addFlashAttribute("error", e.getMessage());
            return "redirect:/imports";
        }
    }

    @GetMapping("/imports/{id}")
    String job(@PathVariable String id, Model model) {
        ImportJobs.Job job = job(id);
        model.addAttribute("job", job);
        model.addAttribute("expected", expected.get(id));
        model.addAttribute("percent", percent(job, expected.get(id)));
        return "import";
    }

    /** The progress fragment htmx polls; it stops polling itself once the job has finished. */
    @GetMapping("/imports/{id}/progress")
    String progress(@PathVariable String id, Model model) {
        ImportJobs.Job job = job(id);
        model.addAttribute("job", job);
        model.addAttribute("expected", expected.get(id));
        model.addAttribute("percent", percent(job, expected.get(id)));
        return "import :: progress";
    }

    @GetMapping("/imports/{id}/rejected.csv")
    ResponseEntity<StreamingResponseBody> rejected(@PathVariable String id) {
        return api.rejected(id);
    }

    /** Rows read against the rows counted at upload; 100 once the job has finished. */
    static long percent(ImportJobs.Job job, Long expectedRows) {
        if (job.finished_at() != null) return 100;
        if (expectedRows == null || expectedRows == 0) return 0;
        return Math.min(99, job.counts().read() * 100 / expectedRows);
    }

    private ImportJobs.Job job(String id) {
        return jobs.get(id).orElseThrow(() -> ApiException.notFound("import job", id));
    }

    private static EntityKind kindOf(String name) {
        for (EntityKind k : EntityKind.values()) {
            if (k.fileName().equalsIgnoreCase(name + ".csv")) return k;
        }
        throw ApiException.badField("entity", "choose what the file holds (customers, invoices, …); '" + name + "' is not a data file name");
    }

    /** Lines after the header (an estimate when a quoted cell spans lines: the bar then stops short of 100 %). */
    static long dataLines(InputStream in) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long lines = 0;
        int last = '\n';
        for (int n; (n = in.read(buf)) > 0; ) {
            for (int i = 0; i < n; i++) if (buf[i] == '\n') lines++;
            last = buf[n - 1];
        }
        if (last != '\n') lines++;
        return Math.max(0, lines - 1);
    }
}
