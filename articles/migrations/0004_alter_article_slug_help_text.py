from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_roles"),
    ]

    operations = [
        migrations.AlterField(
            model_name="article",
            name="slug",
            field=models.SlugField(
                help_text="The last part of the address: the slug “clonus” makes /articles/clonus/.",
                max_length=200,
                unique=True,
            ),
        ),
    ]
