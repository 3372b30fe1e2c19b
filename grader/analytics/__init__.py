"""What instructors read: class statistics (pure), their text tables, the HTML report and its charts, LMS exports, reading results.json."""
