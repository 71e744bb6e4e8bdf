import django.db.models.deletion
from django.db import migrations, models


def comments_page(name):
    return migrations.CreateModel(
        name=name,
        fields=[
            ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to='wagtailcore.page')),
            ('allow_comments', models.BooleanField(default=True, help_text='Readers may leave replies under this page.', verbose_name='allow comments')),
        ],
        options={
            'abstract': False,
        },
        bases=('wagtailcore.page',),
    )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('wagtailcore', '0098_apitoken'),
    ]

    operations = [comments_page('DiscussionPage'), comments_page('QuestionPage')]
